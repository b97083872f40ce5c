// bc_dwc: a stream width converter, IN_N values per input beat to OUT_N values per output beat
// (unsigned BITS-bit values, value 0 in the lowest bits, order kept), where one of IN_N and OUT_N
// divides the other. It joins a layer whose output beat is a pixel to one that takes words of
// SIMD values.
//
// OUT_N > IN_N gathers OUT_N/IN_N beats (bc_input: the word is offered in the cycle its last beat
// arrives). OUT_N < IN_N holds one input beat and offers its IN_N/OUT_N parts in order, the lowest
// first, one per cycle; the next beat is taken in the cycle its last part is. Equal widths pass
// straight through. org.bcflow.rtlgen.StreamModel mirrors this exactly.
`default_nettype none
module bc_dwc #(
    parameter integer IN_N  = 16,
    parameter integer OUT_N = 8,
    parameter integer BITS  = 2
) (
    input  wire                clk,
    input  wire                rst_n,     // synchronous, active low
    input  wire                in_valid,
    output wire                in_ready,
    input  wire [IN_N*BITS-1:0] in_data,
    output wire                out_valid,
    input  wire                out_ready,
    output wire [OUT_N*BITS-1:0] out_data
);
    // Parameter checks: a bad value fails elaboration with the name of the missing module.
    generate
        if (IN_N < 1 || OUT_N < 1 || BITS < 1) begin : g_check_sizes
            PARAMETER_CHECK_bc_dwc_IN_N_OUT_N_or_BITS_below_1 u_check ();
        end
        if (IN_N % OUT_N != 0 && OUT_N % IN_N != 0) begin : g_check_ratio
            PARAMETER_CHECK_bc_dwc_neither_width_divides_the_other u_check ();
        end
    endgenerate

    generate
        if (IN_N == OUT_N) begin : g_pass
            assign out_valid = in_valid;
            assign in_ready  = out_ready;
            assign out_data  = in_data;
            wire unused_clock = &{1'b0, clk, rst_n};
        end else if (OUT_N > IN_N) begin : g_gather
            bc_input #(.GROUP(OUT_N), .BITS(BITS), .PIX(IN_N)) u_gather (
                .clk(clk), .rst_n(rst_n), .s_axis_tdata(in_data), .s_axis_tvalid(in_valid), .s_axis_tready(in_ready),
                .out_valid(out_valid), .out_ready(out_ready), .out_data(out_data)
            );
        end else begin : g_split
            localparam integer PARTS = IN_N / OUT_N;
            localparam integer P_BITS = $clog2(PARTS);
            localparam integer OW = OUT_N * BITS;
            reg [IN_N*BITS-1:0] held;   // the part being offered at the bottom
            reg                 full;
            reg [P_BITS-1:0]    part;
            wire last = part == PARTS[P_BITS-1:0] - 1'b1;
            wire take = out_valid && out_ready;
            assign out_valid = full;
            assign out_data  = held[OW-1:0];
            assign in_ready  = !full || (last && out_ready);
            always @(posedge clk) begin
                if (in_valid && in_ready) held <= in_data;
                else if (take) held <= held >> OW;
            end
            always @(posedge clk) begin
                if (!rst_n) begin
                    full <= 1'b0;
                    part <= {P_BITS{1'b0}};
                end else if (in_valid && in_ready) begin
                    full <= 1'b1;
                    part <= {P_BITS{1'b0}};
                end else if (take) begin
                    if (last) full <= 1'b0;
                    part <= part + 1'b1;
                end
            end
        end
    endgenerate
endmodule
`default_nettype wire
