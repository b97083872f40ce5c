// tb_bc_pool: self-checking testbench of bc_pool. IMAGES random H x W maps of C-channel pixels
// (every other one with values mostly small, so that the maxima vary) are sent back to back
// with random input gaps and random out_ready stalls (images in turn: some gaps and stalls;
// neither; many gaps; many stalls). Every pooled pixel handed over is compared with the channel-wise maximum of its P x P
// window (stride P), in raster order. The handshakes are checked against the documented timing:
// in_ready exactly when the output register is free or being emptied, a window's output offered
// from the cycle after its last pixel was taken. When an image's last output is taken, exactly
// its pixels and those before it must have been taken; at the end, (H/P)*(W/P) outputs per image,
// and none in the few cycles after the last.
// Prints PASS or FAIL: ... and finishes.
`default_nettype none
module tb_bc_pool;
    parameter integer H    = 6;
    parameter integer W    = 4;
    parameter integer C    = 3;
    parameter integer BITS = 2;
    parameter integer P    = 2;
    localparam integer PIXW = C * BITS;
    localparam integer HO = H / P;
    localparam integer WO = W / P;
    localparam integer IMAGES = 4;
    localparam integer PIXELS = IMAGES * H * W;

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg             rst_n = 1'b0;
    reg             in_valid = 1'b0;
    wire            in_ready;
    reg  [PIXW-1:0] in_data = {PIXW{1'b0}};
    wire            out_valid;
    reg             out_ready = 1'b0;
    wire [PIXW-1:0] out_data;
    bc_pool #(.H(H), .W(W), .C(C), .BITS(BITS), .P(P)) dut (
        .clk(clk), .rst_n(rst_n), .in_valid(in_valid), .in_ready(in_ready), .in_data(in_data),
        .out_valid(out_valid), .out_ready(out_ready), .out_data(out_data));

    reg [BITS-1:0] values [0:PIXELS*C-1];  // pixel p, channel c at p*C + c
    integer i, seed = 8;
    initial
        for (i = 0; i < PIXELS * C; i = i + 1)
            values[i] = i / (H * W * C) % 2 ? $random(seed) & $random(seed) & $random(seed) : $random(seed);

    integer cycle = 0, errors = 0, sent = 0, got = 0, after = 0, c;
    integer img, oy, ox, dy, dx, y, x;
    reg     exp_valid = 1'b0;  // an output offered, as the documented timing has it
    reg [BITS-1:0] e, m;
    reg [63:0] rnd;
    always @(posedge clk) begin
        // the documented timing: a pixel taken whenever the output register is free or being emptied
        if (!rst_n) begin
            exp_valid = 1'b0;
        end else begin
            if (out_valid !== exp_valid || in_ready !== (!exp_valid || out_ready)) begin
                errors = errors + 1;
                if (errors <= 5) $display("FAIL: cycle %0d after %0d pixels: out_valid %b in_ready %b, expected %b %b",
                                          cycle, sent, out_valid, in_ready, exp_valid, !exp_valid || out_ready);
            end
            if (exp_valid && out_ready) exp_valid = 1'b0;
            // the pixel taken in this cycle closes its window
            if (in_valid && (!exp_valid || out_ready) && sent % W % P == P - 1 && sent / W % P == P - 1) exp_valid = 1'b1;
        end
        // the sink: output `got` is window (oy, ox) of image img
        if (rst_n && out_valid && out_ready) begin
            if (got >= IMAGES * HO * WO) begin
                errors = errors + 1;
                if (errors <= 5) $display("FAIL: an output after the last");
            end
            img = got / (HO * WO);
            oy = got % (HO * WO) / WO;
            ox = got % WO;
            for (c = 0; c < C; c = c + 1) begin
                e = {BITS{1'b0}};
                for (dy = 0; dy < P; dy = dy + 1)
                    for (dx = 0; dx < P; dx = dx + 1) begin
                        y = oy * P + dy;
                        x = ox * P + dx;
                        m = values[((img * H + y) * W + x) * C + c];
                        if (m > e) e = m;
                    end
                if (out_data[c*BITS +: BITS] !== e) begin
                    errors = errors + 1;
                    if (errors <= 5) $display("FAIL: image %0d window (%0d, %0d) channel %0d is %0d, expected %0d",
                                              img, oy, ox, c, out_data[c*BITS +: BITS], e);
                end
            end
            if (got % (HO * WO) == HO * WO - 1 && sent != (img + 1) * H * W) begin
                errors = errors + 1;
                if (errors <= 5) $display("FAIL: image %0d's last output taken after %0d pixels, expected %0d", img, sent, (img + 1) * H * W);
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
        case (got / (HO * WO) % 4)
            0: rnd = {$random(seed)} % 3;
            1, 2: rnd = 1;
            default: rnd = {$random(seed)} % 4 == 0;
        endcase
        out_ready <= rnd != 0;
        rst_n <= cycle >= 2;
        cycle = cycle + 1;
        if (got >= IMAGES * HO * WO) after = after + 1;  // a few more cycles: nothing more may come out
        if (after == 8 || cycle == 20 * PIXELS + 100) begin
            if (got != IMAGES * HO * WO) $display("FAIL: %0d of %0d outputs after %0d cycles", got, IMAGES * HO * WO, cycle);
            else if (sent != PIXELS) $display("FAIL: %0d pixels taken for %0d images of %0d", sent, IMAGES, H * W);
            else if (errors == 0) $display("PASS");
            else $display("FAIL: %0d errors", errors);
            $finish;
        end
    end
endmodule
`default_nettype wire
