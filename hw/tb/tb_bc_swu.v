// tb_bc_swu: self-checking testbench of bc_swu. IMAGES random H x W maps of C-channel pixels are
// sent back to back with random input gaps and random out_ready stalls (images in turn: some gaps
// and stalls; neither, so that steps run back to back; many gaps; many stalls). Every window
// handed over is compared with the window computed from the maps: value (ky*K + kx)*C + c is pixel
// (oy + ky - PAD, ox + kx - PAD), channel c, or 0 outside the map, windows in raster order of
// (oy, ox). The testbench walks the padded map itself and checks the documented timing: in_ready
// exactly when the window register is free or being emptied and the position is inside the map,
// a step in every cycle the window register is free and (inside the map) a pixel is there, the
// window of a step offered from the next cycle. When an image's last window is taken, exactly its
// pixels and those before it must have been taken; at the end, OH*OW windows per image, and none
// in the few cycles after the last.
// Prints PASS or FAIL: ... and finishes.
`default_nettype none
module tb_bc_swu;
    parameter integer H       = 5;
    parameter integer W       = 4;
    parameter integer C       = 3;
    parameter integer BITS    = 2;
    parameter integer K       = 3;
    parameter integer PAD     = 1;
    parameter integer LB_BRAM = 0;
    localparam integer PIXW = C * BITS;
    localparam integer HP = H + 2 * PAD;
    localparam integer WP = W + 2 * PAD;
    localparam integer OH = HP - K + 1;
    localparam integer OW = WP - K + 1;
    localparam integer IMAGES = 4;
    localparam integer PIXELS = IMAGES * H * W;

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg                   rst_n = 1'b0;
    reg                   in_valid = 1'b0;
    wire                  in_ready;
    reg  [PIXW-1:0]       in_data = {PIXW{1'b0}};
    wire                  out_valid;
    reg                   out_ready = 1'b0;
    wire [K*K*PIXW-1:0]   out_data;
    bc_swu #(.H(H), .W(W), .C(C), .BITS(BITS), .K(K), .PAD(PAD), .LB_BRAM(LB_BRAM)) dut (
        .clk(clk), .rst_n(rst_n), .in_valid(in_valid), .in_ready(in_ready), .in_data(in_data),
        .out_valid(out_valid), .out_ready(out_ready), .out_data(out_data));

    reg [BITS-1:0] values [0:PIXELS*C-1];  // pixel p, channel c at p*C + c
    integer i, seed = 6;
    initial for (i = 0; i < PIXELS * C; i = i + 1) values[i] = $random(seed);

    integer cycle = 0, errors = 0, sent = 0, got = 0, after = 0, k, c;
    integer img, oy, ox, ky, kx, iy, ix;
    integer ty = 0, tx = 0;        // the testbench's walk: the padded position of the next step
    reg     exp_valid = 1'b0;      // a window offered, as the documented timing has it
    reg     t_in_map, t_can;
    reg [BITS-1:0] e;
    reg [63:0] rnd;
    always @(posedge clk) begin
        // the documented timing, from the testbench's own walk of the padded map
        if (!rst_n) begin
            ty = 0;
            tx = 0;
            exp_valid = 1'b0;
        end else begin
            t_in_map = ty >= PAD && ty < PAD + H && tx >= PAD && tx < PAD + W;
            t_can = !exp_valid || out_ready;
            if (out_valid !== exp_valid || in_ready !== (t_can && t_in_map)) begin
                errors = errors + 1;
                if (errors <= 5) $display("FAIL: cycle %0d padded position (%0d, %0d): out_valid %b in_ready %b, expected %b %b",
                                          cycle, ty, tx, out_valid, in_ready, exp_valid, t_can && t_in_map);
            end
            if (exp_valid && out_ready) exp_valid = 1'b0;
            if (t_can && (!t_in_map || in_valid)) begin
                exp_valid = ty >= K - 1 && tx >= K - 1;
                if (tx == WP - 1) begin
                    tx = 0;
                    ty = ty == HP - 1 ? 0 : ty + 1;
                end else begin
                    tx = tx + 1;
                end
            end
        end
        // the sink: window `got` is window (oy, ox) of image img
        if (rst_n && out_valid && out_ready) begin
            if (got >= IMAGES * OH * OW) begin
                errors = errors + 1;
                if (errors <= 5) $display("FAIL: a window after the last");
            end
            img = got / (OH * OW);
            oy = got % (OH * OW) / OW;
            ox = got % OW;
            for (ky = 0; ky < K; ky = ky + 1)
                for (kx = 0; kx < K; kx = kx + 1)
                    for (c = 0; c < C; c = c + 1) begin
                        iy = oy + ky - PAD;
                        ix = ox + kx - PAD;
                        if (iy < 0 || iy >= H || ix < 0 || ix >= W) e = {BITS{1'b0}};
                        else e = values[((img * H + iy) * W + ix) * C + c];
                        k = (ky * K + kx) * C + c;
                        if (out_data[k*BITS +: BITS] !== e) begin
                            errors = errors + 1;
                            if (errors <= 5) $display("FAIL: image %0d window (%0d, %0d) value %0d (ky %0d kx %0d c %0d) is %0d, expected %0d",
                                                      img, oy, ox, k, ky, kx, c, out_data[k*BITS +: BITS], e);
                        end
                    end
            if (got % (OH * OW) == OH * OW - 1 && sent != (img + 1) * H * W) begin
                errors = errors + 1;
                if (errors <= 5) $display("FAIL: image %0d's last window taken after %0d pixels, expected %0d", img, sent, (img + 1) * H * W);
            end
            got = got + 1;
        end
        if (rst_n && in_valid && in_ready) sent = sent + 1;
        // the source keeps a pixel until it is taken; images in turn: some gaps, none, many, none
        if (!in_valid || in_ready || !rst_n) begin
            case (sent / (H * W) % 4)
                0: rnd = {$random(seed)} % 4;
                1: rnd = 1;
                2: rnd = {$random(seed)} % 4 == 0;
                default: rnd = 1;
            endcase
            in_valid <= cycle > 2 && sent < PIXELS && rnd != 0;
            for (c = 0; c < C; c = c + 1)
                in_data[c*BITS +: BITS] <= sent < PIXELS ? values[sent * C + c] : {BITS{1'b0}};
        end
        case (got / (OH * OW) % 4)
            0: rnd = {$random(seed)} % 3;
            1, 2: rnd = 1;
            default: rnd = {$random(seed)} % 4 == 0;
        endcase
        out_ready <= rnd != 0;
        rst_n <= cycle >= 2;
        cycle = cycle + 1;
        if (got >= IMAGES * OH * OW) after = after + 1;  // a few more cycles: nothing more may come out
        if (after == 8 || cycle == 20 * IMAGES * HP * WP + 100) begin
            if (got != IMAGES * OH * OW) $display("FAIL: %0d of %0d windows after %0d cycles", got, IMAGES * OH * OW, cycle);
            else if (sent != PIXELS) $display("FAIL: %0d pixels taken for %0d images of %0d", sent, IMAGES, H * W);
            else if (errors == 0) $display("PASS");
            else $display("FAIL: %0d errors", errors);
            $finish;
        end
    end
endmodule
`default_nettype wire
