// bc_inquant: the network's input quantizer, comparators on the input stream. Each of the PIX raw
// IN_BITS-bit values of a beat becomes the OUT_BITS-bit code #{ j : value >= t_j }, the first
// layer's input, with the 2^OUT_BITS - 1 nondecreasing thresholds t_j packed in THRESHOLDS
// (t_j at bits [(j-1)*(IN_BITS+1) +: IN_BITS+1], unsigned, so that 2^IN_BITS means never).
//
// Purely combinational: it sits between s_axis_tdata and bc_input and adds no cycle, so the
// design's cycle counts are those of the same network without it.
`default_nettype none
module bc_inquant #(
    parameter integer PIX      = 1,  // values per beat
    parameter integer IN_BITS  = 8,  // bits of a raw value
    parameter integer OUT_BITS = 1,  // bits of a code
    parameter [((1 << OUT_BITS) - 1) * (IN_BITS + 1) - 1:0] THRESHOLDS = {((1 << OUT_BITS) - 1) * (IN_BITS + 1){1'b0}}
) (
    input  wire [PIX*IN_BITS-1:0]  in_data,
    output wire [PIX*OUT_BITS-1:0] out_data
);
    localparam integer T  = (1 << OUT_BITS) - 1;
    localparam integer TW = IN_BITS + 1;

    // Parameter checks: a bad value fails elaboration with the name of the missing module.
    generate
        if (PIX < 1) begin : g_check_pix
            PARAMETER_CHECK_bc_inquant_PIX_below_1 u_check ();
        end
        if (IN_BITS < 1 || OUT_BITS < 1 || OUT_BITS > 8) begin : g_check_bits
            PARAMETER_CHECK_bc_inquant_bits_out_of_range u_check ();
        end
    endgenerate

    genvar p, j;
    generate
        for (p = 0; p < PIX; p = p + 1) begin : g_value
            wire [TW-1:0] value = {1'b0, in_data[p*IN_BITS +: IN_BITS]};
            // The code is the count of thresholds passed, summed along the comparisons (at most T,
            // which fits OUT_BITS bits: the running count's top bit is always 0).
            for (j = 0; j < T; j = j + 1) begin : g_compare
                wire passed;
                wire [OUT_BITS:0] count;
                if (THRESHOLDS[j*TW +: TW] == {TW{1'b0}}) begin : g_always
                    // every value passes a threshold of 0; written out, as the comparison would be constant
                    assign passed = 1'b1;
                end else begin : g_compare_value
                    assign passed = value >= THRESHOLDS[j*TW +: TW];
                end
                if (j == 0) begin : g_first
                    assign count = {{OUT_BITS{1'b0}}, passed};
                end else begin : g_next
                    assign count = g_compare[j-1].count + {{OUT_BITS{1'b0}}, passed};
                end
            end
            assign out_data[p*OUT_BITS +: OUT_BITS] = g_compare[T-1].count[OUT_BITS-1:0];
            wire unused_top = &{1'b0, g_compare[T-1].count[OUT_BITS]};
            wire unused_value = &{1'b0, value};  // all thresholds 0: no comparison reads the value
        end
    endgenerate
endmodule
`default_nettype wire
