// bc_input: gathers unsigned BITS-bit values from an AXI4-Stream, PIX values per beat (value 0 in
// the lowest bits of the first beat), into groups of GROUP values offered downstream on a
// valid/ready handshake: GROUP = N hands over whole vectors, GROUP = SIMD hands over the words a
// RAM-buffered first layer stores.
//
// The group's last beat is not stored: it passes straight through beside the GROUP - PIX values
// gathered before it, so a group is offered in the cycle its last beat arrives and that beat is
// accepted only when downstream takes the group. Throughput: one group every GROUP/PIX cycles.
`default_nettype none
module bc_input #(
    parameter integer GROUP = 784,  // values per group handed downstream
    parameter integer BITS  = 8,    // bits per value
    parameter integer PIX   = 1     // values per beat; must divide GROUP
) (
    input  wire                  clk,
    input  wire                  rst_n,
    input  wire [PIX*BITS-1:0]   s_axis_tdata,
    input  wire                  s_axis_tvalid,
    output wire                  s_axis_tready,
    output wire                  out_valid,
    input  wire                  out_ready,
    output wire [GROUP*BITS-1:0] out_data
);
    localparam integer BEATS = GROUP / PIX;

    // Parameter checks: a bad value fails elaboration with the name of the missing module.
    generate
        if (PIX < 1 || GROUP < PIX || GROUP % PIX != 0) begin : g_check_pix
            PARAMETER_CHECK_bc_input_GROUP_not_divisible_by_PIX u_check ();
        end
        if (BITS < 1) begin : g_check_bits
            PARAMETER_CHECK_bc_input_BITS_below_1 u_check ();
        end
    endgenerate

    generate
        if (BEATS == 1) begin : g_pass
            assign out_valid     = s_axis_tvalid;
            assign s_axis_tready = out_ready;
            assign out_data      = s_axis_tdata;
            // nothing to store: the clock and reset are not needed (Verilator's lint skips *unused* names)
            wire unused_clock = &{1'b0, clk, rst_n};
        end else begin : g_gather
            localparam integer CNT_BITS = $clog2(BEATS);
            localparam integer KEPT = (GROUP - PIX) * BITS;  // the beats before the last
            reg [CNT_BITS-1:0] beat;
            reg [KEPT-1:0]     kept;
            wire last = beat == BEATS[CNT_BITS-1:0] - 1'b1;
            wire fire = s_axis_tvalid && s_axis_tready;

            assign s_axis_tready = !last || out_ready;
            assign out_valid     = s_axis_tvalid && last;
            assign out_data      = {s_axis_tdata, kept};

            always @(posedge clk) begin
                if (!rst_n) beat <= {CNT_BITS{1'b0}};
                else if (fire) beat <= last ? {CNT_BITS{1'b0}} : beat + 1'b1;
            end
            // Beats shift in from the top, so after BEATS - 1 of them the first sits at the bottom.
            if (BEATS == 2) begin : g_one_kept
                always @(posedge clk) if (fire && !last) kept <= s_axis_tdata;
            end else begin : g_shift
                always @(posedge clk) if (fire && !last) kept <= {s_axis_tdata, kept[KEPT-1:PIX*BITS]};
            end
        end
    endgenerate
endmodule
`default_nettype wire
