// bc_pool: max-pooling over P x P windows with stride P, per channel, on a stream of pixels
// (C unsigned BITS-bit values each, raster order of an H x W map, value c at [c*BITS +: BITS]).
// It offers the (H/P) x (W/P) pooled pixels in raster order, one per handshake.
//
// The maxima of a row of windows build up in place: `run` holds the largest values of the P
// pixels of the current window's row seen so far, and `rows` the maxima of the window rows above,
// one word per window column (W/P words). The window's last pixel produces its output.
//
// Timing: a pixel is taken in any cycle in which the output register is free or being emptied;
// a window's output is offered from the cycle after its last pixel was taken.
// org.bcflow.rtlgen.StreamModel mirrors this exactly.
`default_nettype none
module bc_pool #(
    parameter integer H    = 28,  // input map height; P divides it
    parameter integer W    = 28,  // input map width; P divides it
    parameter integer C    = 16,  // channels per pixel
    parameter integer BITS = 2,   // bits per value
    parameter integer P    = 2,   // window size and stride
    parameter integer ROWS_BRAM = 0  // 1: the row of partial maxima in block RAM, 0: in logic
) (
    input  wire              clk,
    input  wire              rst_n,      // synchronous, active low
    input  wire              in_valid,
    output wire              in_ready,
    input  wire [C*BITS-1:0] in_data,
    output reg               out_valid,
    input  wire              out_ready,
    output reg  [C*BITS-1:0] out_data
);
    localparam integer PIXW = C * BITS;
    localparam integer WO = W / P;
    localparam integer D_BITS = P > 1 ? $clog2(P) : 1;
    localparam integer X_BITS = WO > 1 ? $clog2(WO) : 1;

    // Parameter checks: a bad value fails elaboration with the name of the missing module.
    generate
        if (C < 1 || BITS < 1 || P < 1) begin : g_check_sizes
            PARAMETER_CHECK_bc_pool_C_BITS_or_P_below_1 u_check ();
        end
        if (H < P || W < P || H % P != 0 || W % P != 0) begin : g_check_divides
            PARAMETER_CHECK_bc_pool_P_does_not_divide_H_and_W u_check ();
        end
    endgenerate

    reg [D_BITS-1:0] dx, dy;  // the pixel's place in its window
    reg [X_BITS-1:0] px;      // the window's column
    reg [PIXW-1:0]   run;
    wire fire = in_valid && in_ready;
    wire last_dx = dx == P[D_BITS-1:0] - 1'b1;
    wire last_dy = dy == P[D_BITS-1:0] - 1'b1;
    wire last_px = px == WO[X_BITS-1:0] - 1'b1;
    assign in_ready = !out_valid || out_ready;

    // the channel-wise maxima: of the row so far and the pixel, then of the window rows above and that
    // the row of partial maxima, read at the window column's address (a register: synthesis may
    // move it into a block RAM's read port)
    wire [PIXW-1:0] above;
    wire            store = fire && last_dx && !last_dy;
    wire [PIXW-1:0] stored;
    generate
        if (ROWS_BRAM != 0) begin : g_block
            (* ram_style = "block" *) reg [PIXW-1:0] rows [0:WO-1];
            always @(posedge clk) if (store) rows[px] <= stored;
            assign above = rows[px];
        end else begin : g_logic
            (* ram_style = "logic" *) reg [PIXW-1:0] rows [0:WO-1];
            always @(posedge clk) if (store) rows[px] <= stored;
            assign above = rows[px];
        end
    endgenerate
    reg  [PIXW-1:0] row_max, win_max;
    integer c;
    always @* begin
        for (c = 0; c < C; c = c + 1) begin
            row_max[c*BITS +: BITS] = dx == {D_BITS{1'b0}} || in_data[c*BITS +: BITS] > run[c*BITS +: BITS]
                                      ? in_data[c*BITS +: BITS] : run[c*BITS +: BITS];
            win_max[c*BITS +: BITS] = dy == {D_BITS{1'b0}} || row_max[c*BITS +: BITS] > above[c*BITS +: BITS]
                                      ? row_max[c*BITS +: BITS] : above[c*BITS +: BITS];
        end
    end

    assign stored = win_max;
    always @(posedge clk) begin
        if (fire) begin
            run <= row_max;
            if (last_dx && last_dy) out_data <= win_max;
        end
    end

    always @(posedge clk) begin
        if (!rst_n) begin
            dx <= {D_BITS{1'b0}};
            dy <= {D_BITS{1'b0}};
            px <= {X_BITS{1'b0}};
            out_valid <= 1'b0;
        end else begin
            if (out_valid && out_ready) out_valid <= 1'b0;
            if (fire) begin
                dx <= last_dx ? {D_BITS{1'b0}} : dx + 1'b1;
                if (last_dx) begin
                    px <= last_px ? {X_BITS{1'b0}} : px + 1'b1;
                    if (last_px) dy <= last_dy ? {D_BITS{1'b0}} : dy + 1'b1;
                    if (last_dy) out_valid <= 1'b1;
                end
            end
        end
    end
endmodule
`default_nettype wire
