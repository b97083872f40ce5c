// bc_swu: the sliding-window unit of a conv layer. It takes an H x W feature map as a stream of
// pixels (C unsigned BITS-bit values each, raster order, value c at [c*BITS +: BITS]) and offers
// every K x K window of the map with PAD zeros around it, one window per handshake, in raster
// order of the window's position. A window is the vector a conv layer's matrix multiplies: value
// j = (ky*K + kx)*C + c at [j*BITS +: BITS] is input pixel (oy + ky - PAD, ox + kx - PAD),
// channel c, or 0 outside the map (docs/contract.md, the column order of conv weights).
//
// It walks the padded map, (H + 2*PAD) x (W + 2*PAD) positions, one per step: a position inside
// the map takes the next input pixel, one in the border takes a zero without waiting for input
// (the padding costs steps, not input beats). Each step shifts a column into the K x K window
// register: K - 1 pixels from the line buffer (the rows above, at this column) and the new pixel;
// the line buffer keeps K - 1 rows of the padded map, one word of (K - 1) pixels per column, in
// block RAM when LB_BRAM = 1. Once the position is at least K - 1 rows and columns in, the window
// register holds a whole window and is offered; the unit steps again when it is taken (in the
// same cycle) or was not offered.
//
// Timing: a step per cycle while the window register is free (and, inside the map, an input pixel
// is there); the window of a step is offered from the next cycle. The line buffer is read with
// one clock of latency (block RAM): the word of the next step's column is read at each edge, so
// back-to-back steps never wait for it. org.bcflow.rtlgen.StreamModel mirrors this exactly.
`default_nettype none
module bc_swu #(
    parameter integer H       = 28,  // input map height
    parameter integer W       = 28,  // input map width
    parameter integer C       = 1,   // channels per pixel
    parameter integer BITS    = 8,   // bits per value
    parameter integer K       = 3,   // kernel size
    parameter integer PAD     = 1,   // zeros on each side: 0 (valid) or (K-1)/2 (same)
    parameter integer LB_BRAM = 0    // 1: the line buffer in block RAM, 0: in logic
) (
    input  wire                  clk,
    input  wire                  rst_n,      // synchronous, active low; hold for at least one cycle
    input  wire                  in_valid,   // input stream: one pixel
    output wire                  in_ready,
    input  wire [C*BITS-1:0]     in_data,
    output reg                   out_valid,  // output stream: one window
    input  wire                  out_ready,
    output reg  [K*K*C*BITS-1:0] out_data
);
    localparam integer PIXW = C * BITS;
    localparam integer HP = H + 2 * PAD;
    localparam integer WP = W + 2 * PAD;
    localparam integer Y_BITS = $clog2(HP + 1);  // holds HP itself: the bounds below are compared at this width
    localparam integer X_BITS = $clog2(WP + 1);

    // Parameter checks: a bad value fails elaboration with the name of the missing module.
    generate
        if (H < 1 || W < 1 || C < 1 || BITS < 1 || K < 1) begin : g_check_sizes
            PARAMETER_CHECK_bc_swu_H_W_C_BITS_or_K_below_1 u_check ();
        end
        if (PAD < 0 || PAD >= K) begin : g_check_pad
            PARAMETER_CHECK_bc_swu_PAD_not_in_0_to_K_minus_1 u_check ();
        end
        if (K > HP || K > WP) begin : g_check_kernel
            PARAMETER_CHECK_bc_swu_K_larger_than_the_padded_map u_check ();
        end
    endgenerate

    // ---- the position in the padded map ----
    reg  [Y_BITS-1:0] vy;
    reg  [X_BITS-1:0] vx;
    wire last_x = vx == WP[X_BITS-1:0] - 1'b1;
    wire last_y = vy == HP[Y_BITS-1:0] - 1'b1;
    /* verilator lint_off UNSIGNED */
    /* verilator lint_off CMPCONST */
    wire in_map = vy >= PAD[Y_BITS-1:0] && vy < PAD[Y_BITS-1:0] + H[Y_BITS-1:0]
               && vx >= PAD[X_BITS-1:0] && vx < PAD[X_BITS-1:0] + W[X_BITS-1:0];
    wire whole  = vy >= K[Y_BITS-1:0] - 1'b1 && vx >= K[X_BITS-1:0] - 1'b1;  // the step completes a window
    /* verilator lint_on CMPCONST */
    /* verilator lint_on UNSIGNED */

    wire can_step = !out_valid || out_ready;
    wire step = rst_n && can_step && (!in_map || in_valid);  // no step in reset: the line buffer read stays at column 0
    assign in_ready = can_step && in_map;
    wire [PIXW-1:0] pixel = in_map ? in_data : {PIXW{1'b0}};

    always @(posedge clk) begin
        if (!rst_n) begin
            vy <= {Y_BITS{1'b0}};
            vx <= {X_BITS{1'b0}};
            out_valid <= 1'b0;
        end else begin
            if (out_valid && out_ready) out_valid <= 1'b0;
            if (step) begin
                out_valid <= whole;
                vx <= last_x ? {X_BITS{1'b0}} : vx + 1'b1;
                if (last_x) vy <= last_y ? {Y_BITS{1'b0}} : vy + 1'b1;
            end
        end
    end

    // ---- the column shifted in: K - 1 pixels of the rows above from the line buffer, then the new one ----
    wire [K*PIXW-1:0] column;
    generate
        if (K == 1) begin : g_no_lines
            assign column = pixel;
        end else begin : g_lines
            localparam integer LBW = (K - 1) * PIXW;  // row r (oldest first) at [r*PIXW +: PIXW]
            wire [LBW-1:0] above;
            wire [LBW-1:0] kept;  // the word written back: the rows above less the oldest, and the new pixel
            if (K == 2) begin : g_one_row
                assign kept = pixel;
            end else begin : g_rows
                assign kept = {pixel, above[LBW-1:PIXW]};
            end
            // the next step's column: read at this edge, ready for a step in the next cycle
            localparam integer A_BITS = WP > 1 ? $clog2(WP) : 1;  // vx < WP: its low bits address a column
            wire [A_BITS-1:0] col = vx[A_BITS-1:0];
            wire [A_BITS-1:0] raddr = step ? (last_x ? {A_BITS{1'b0}} : col + 1'b1) : col;
            reg  [LBW-1:0] rdata;
            if (LB_BRAM != 0) begin : g_block
                (* ram_style = "block" *) reg [LBW-1:0] lines [0:WP-1];
                always @(posedge clk) begin
                    if (step) lines[col] <= kept;
                    rdata <= lines[raddr];
                end
            end else begin : g_logic
                (* ram_style = "logic" *) reg [LBW-1:0] lines [0:WP-1];
                always @(posedge clk) begin
                    if (step) lines[col] <= kept;
                    rdata <= lines[raddr];
                end
            end
            assign above = rdata;
            assign column = {pixel, above};
        end
    endgenerate

    // ---- the window register: slot ky*K + kx; each step moves the columns left and puts the new one at kx = K-1 ----
    integer ky, kx;
    always @(posedge clk) begin
        if (step) begin
            for (ky = 0; ky < K; ky = ky + 1) begin
                for (kx = 0; kx < K - 1; kx = kx + 1)
                    out_data[(ky*K + kx)*PIXW +: PIXW] <= out_data[(ky*K + kx + 1)*PIXW +: PIXW];
                out_data[(ky*K + K - 1)*PIXW +: PIXW] <= column[ky*PIXW +: PIXW];
            end
        end
    end
endmodule
`default_nettype wire
