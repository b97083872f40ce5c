// bc_requant: the folded batch norm of a bc_dense layer, PE neurons at a time. It turns the
// signed accumulators of one neuron fold into OUT_BITS-bit outputs, with the fold's constants
// from ROMs addressed by the fold index nf.
//
// THRESH = 0 (multiply-add, org.bcflow.core.Reference):
//     y = (acc * MUL + ADD) >>> SHIFT, clamped to [0, 2^OUT_BITS - 1] unless SCORES = 1
//     (SCORES = 1 keeps the low OUT_BITS bits of the signed result: the last layer's scores).
// THRESH = 1 (org.bcflow.core.Thresholds, which derives the thresholds exactly from MUL, ADD, SHIFT):
//     y = #{ j in 1..2^OUT_BITS-1 : (negate ? -acc : acc) >= t_j }, no multiplier.
//
// Timing: present nf one edge before `load` (the ROMs have one clock of latency); at the `load`
// edge acc is taken, and y holds the fold's outputs from that edge on (multiply-add: the sum is
// registered and the shift and clamp follow it; thresholds: the count is registered).
//
// ROM layouts (org.bcflow.core.RomPacking): word nf holds neuron nf*PE+p at bits [p*W +: W];
// a threshold lane is {t_T, ..., t_1, negate}, TW = 1 + T*TH_BITS bits.
`default_nettype none
module bc_requant #(
    parameter integer PE         = 16,  // neurons per fold
    parameter integer NF         = 16,  // neuron folds: ROM depth
    parameter integer ACC_BITS   = 19,  // signed accumulator
    parameter integer MUL_BITS   = 16,
    parameter integer ADD_BITS   = 24,
    parameter integer SUM_BITS   = 40,  // > ACC_BITS, MUL_BITS, ADD_BITS and OUT_BITS + 1
    parameter integer SHIFT      = 0,
    parameter integer OUT_BITS   = 8,
    parameter integer SCORES     = 0,   // 1: signed scores, no clamp (the last layer)
    parameter integer THRESH     = 0,   // 1: thresholds instead of multiply-add
    parameter integer TH_BITS    = 20,  // signed bits of a threshold, >= ACC_BITS
    parameter integer CONST_BRAM = 1,   // 1: the constant ROMs in block RAM, 0: in logic
    parameter         MUL_FILE   = "",
    parameter         ADD_FILE   = "",
    parameter         TH_FILE    = ""
) (
    input  wire                       clk,
    input  wire [(NF > 1 ? $clog2(NF) : 1)-1:0] nf,  // the fold whose constants to read
    input  wire                       load,  // take acc at this edge
    input  wire [PE*ACC_BITS-1:0]     acc,   // lane p at [p*ACC_BITS +: ACC_BITS], signed
    output reg  [PE*OUT_BITS-1:0]     y      // lane p at [p*OUT_BITS +: OUT_BITS]
);
    localparam integer NF_BITS = NF > 1 ? $clog2(NF) : 1;

    // Parameter checks: a bad value fails elaboration with the name of the missing module.
    generate
        if (PE < 1 || NF < 1 || ACC_BITS < 2 || OUT_BITS < 1) begin : g_check_sizes
            PARAMETER_CHECK_bc_requant_PE_NF_ACC_BITS_or_OUT_BITS_too_small u_check ();
        end
        if (THRESH != 0 && TH_BITS < ACC_BITS) begin : g_check_th_bits
            PARAMETER_CHECK_bc_requant_TH_BITS_below_ACC_BITS u_check ();
        end
        if (THRESH == 0 && (SUM_BITS <= ACC_BITS || SUM_BITS <= MUL_BITS || SUM_BITS <= ADD_BITS
                || SUM_BITS <= OUT_BITS + 1)) begin : g_check_sum_bits
            PARAMETER_CHECK_bc_requant_SUM_BITS_too_narrow u_check ();
        end
    endgenerate

    generate
        if (THRESH != 0) begin : g_thresholds
            localparam integer T  = (1 << OUT_BITS) - 1;
            localparam integer TW = 1 + T * TH_BITS;
            wire [PE*TW-1:0]       th_q;
            reg  [PE*OUT_BITS-1:0] level;
            reg  [OUT_BITS-1:0]    count;
            reg  signed [TH_BITS-1:0] a;
            integer r, j;
            bc_rom #(.WIDTH(PE*TW), .DEPTH(NF), .ADDR_BITS(NF_BITS), .BLOCK(CONST_BRAM), .FILE(TH_FILE))
                u_throm (.clk(clk), .addr(nf), .data(th_q));
            always @* begin
                for (r = 0; r < PE; r = r + 1) begin
                    a = {{(TH_BITS-ACC_BITS){acc[r*ACC_BITS + ACC_BITS-1]}}, acc[r*ACC_BITS +: ACC_BITS]};
                    if (th_q[r*TW]) a = -a;
                    count = {OUT_BITS{1'b0}};
                    for (j = 0; j < T; j = j + 1)
                        if (a >= $signed(th_q[r*TW + 1 + j*TH_BITS +: TH_BITS])) count = count + 1'b1;
                    level[r*OUT_BITS +: OUT_BITS] = count;
                end
            end
            always @(posedge clk) if (load) y <= level;
            // the multiply-add constants are not used
            wire unused_muladd = &{1'b0, MUL_BITS[0], ADD_BITS[0], SUM_BITS[0], SHIFT[0], SCORES[0]};
        end else begin : g_muladd
            wire [PE*MUL_BITS-1:0]    mul_q;
            wire [PE*ADD_BITS-1:0]    add_q;
            reg  [PE*SUM_BITS-1:0]    sum;
            reg  [PE*SUM_BITS-1:0]    sum_next;
            reg  signed [SUM_BITS-1:0] acc_x, mul_x, add_x, shifted;
            integer r, t;
            bc_rom #(.WIDTH(PE*MUL_BITS), .DEPTH(NF), .ADDR_BITS(NF_BITS), .BLOCK(CONST_BRAM), .FILE(MUL_FILE))
                u_mulrom (.clk(clk), .addr(nf), .data(mul_q));
            bc_rom #(.WIDTH(PE*ADD_BITS), .DEPTH(NF), .ADDR_BITS(NF_BITS), .BLOCK(CONST_BRAM), .FILE(ADD_FILE))
                u_addrom (.clk(clk), .addr(nf), .data(add_q));
            always @* begin
                for (r = 0; r < PE; r = r + 1) begin
                    acc_x = {{(SUM_BITS-ACC_BITS){acc[r*ACC_BITS + ACC_BITS-1]}}, acc[r*ACC_BITS +: ACC_BITS]};
                    mul_x = {{(SUM_BITS-MUL_BITS){mul_q[r*MUL_BITS + MUL_BITS-1]}}, mul_q[r*MUL_BITS +: MUL_BITS]};
                    add_x = {{(SUM_BITS-ADD_BITS){add_q[r*ADD_BITS + ADD_BITS-1]}}, add_q[r*ADD_BITS +: ADD_BITS]};
                    sum_next[r*SUM_BITS +: SUM_BITS] = acc_x * mul_x + add_x;
                end
            end
            always @(posedge clk) if (load) sum <= sum_next;
            always @* begin
                y = {PE*OUT_BITS{1'b0}};
                for (t = 0; t < PE; t = t + 1) begin
                    shifted = $signed(sum[t*SUM_BITS +: SUM_BITS]) >>> SHIFT;
                    if (SCORES != 0)
                        y[t*OUT_BITS +: OUT_BITS] = shifted[OUT_BITS-1:0];
                    else if (shifted[SUM_BITS-1])
                        y[t*OUT_BITS +: OUT_BITS] = {OUT_BITS{1'b0}};
                    else if (|shifted[SUM_BITS-2:OUT_BITS])
                        y[t*OUT_BITS +: OUT_BITS] = {OUT_BITS{1'b1}};
                    else
                        y[t*OUT_BITS +: OUT_BITS] = shifted[OUT_BITS-1:0];
                end
            end
            wire unused_thresholds = &{1'b0, TH_BITS[0]};
        end
    endgenerate
endmodule
`default_nettype wire
