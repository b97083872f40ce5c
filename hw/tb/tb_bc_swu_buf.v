// tb_bc_swu_buf: self-checking testbench of bc_swu_buf. IMAGES random H x W maps of C-channel
// pixels are sent back to back as C/SIMD words per pixel (raster order, word cw holding channels
// cw*SIMD .. cw*SIMD + SIMD - 1), with random input gaps and random out_ready stalls (images in
// turn: some gaps and stalls; neither; many gaps, so that the reader waits on the writer; many
// stalls). Every word handed over is compared with the word computed from the maps: window (oy, ox)
// in raster order over OH x OW, then ky, kx, cw: channels cw*SIMD .. of input pixel
// (oy + ky - PAD, ox + kx - PAD), or all zeros outside the map.
//
// The testbench plays the documented timing with its own counts (pixels are numbered over all
// images): in_ready exactly when the next word's pixel is fewer than 2^DEPTH_BITS / (C/SIMD)
// pixels after the first pixel still needed, by the window being read or a later one (a word
// replaces the word 2^DEPTH_BITS before it, whose pixel must be no longer needed); a word read
// in every cycle in which, at a window's first word, the window's bottom-right pixel inside the
// map is written, and fewer than two words are read and not taken (counting a take in that cycle);
// out_valid exactly when a word read at least two cycles before is not yet taken. Independently
// of that walk it checks, word by word, when each is first offered: a window's first word not
// before three cycles after the last word of its bottom-right pixel inside the map was taken, and
// every word exactly at max(the cycle after the word before was taken, that bound) — words one per
// cycle, also across windows and images, when the sink does not stall and the input is there.
// When an image's last word is taken all of its input must have been taken; at the end, OH*OW*
// K*K*C/SIMD words per image, all input taken, and nothing in the few cycles after the last word.
// Prints PASS or FAIL: ... and finishes.
`default_nettype none
module tb_bc_swu_buf;
    parameter integer H          = 5;
    parameter integer W          = 4;
    parameter integer C          = 4;
    parameter integer BITS       = 2;
    parameter integer K          = 3;
    parameter integer PAD        = 1;
    parameter integer SIMD       = 2;
    parameter integer DEPTH_BITS = 5;
    parameter integer BRAM       = 0;
    localparam integer CW = C / SIMD;  // words per pixel
    localparam integer XW = SIMD * BITS;
    localparam integer HW = H * W;
    localparam integer HP = H + 2 * PAD;
    localparam integer WP = W + 2 * PAD;
    localparam integer OH = HP - K + 1;
    localparam integer OW = WP - K + 1;
    localparam integer DP = (1 << DEPTH_BITS) / CW;  // whole pixels the buffer holds
    localparam integer WIN_WORDS = K * K * CW;
    localparam integer IMG_WORDS = OH * OW * WIN_WORDS;
    localparam integer IMAGES = 4;
    localparam integer IN_WORDS = IMAGES * HW * CW;
    localparam integer OUT_WORDS = IMAGES * IMG_WORDS;

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg           rst_n = 1'b0;
    reg           in_valid = 1'b0;
    wire          in_ready;
    reg  [XW-1:0] in_data = {XW{1'b0}};
    wire          out_valid;
    reg           out_ready = 1'b0;
    wire [XW-1:0] out_data;
    bc_swu_buf #(.H(H), .W(W), .C(C), .BITS(BITS), .K(K), .PAD(PAD), .SIMD(SIMD), .DEPTH_BITS(DEPTH_BITS),
                 .BRAM(BRAM)) dut (
        .clk(clk), .rst_n(rst_n), .in_valid(in_valid), .in_ready(in_ready), .in_data(in_data),
        .out_valid(out_valid), .out_ready(out_ready), .out_data(out_data));

    reg [BITS-1:0] values [0:IMAGES*HW*C-1];  // pixel p (over all images), channel c at p*C + c
    integer accepted_at [0:IN_WORDS-1];      // the cycle each input word was taken
    integer i, seed = 8;
    initial for (i = 0; i < IMAGES * HW * C; i = i + 1) values[i] = $random(seed);

    // window `win` (over all images, raster order within each): the first pixel it needs and its
    // bottom-right pixel inside the map, numbered over all images
    function integer first_pixel(input integer win);
        integer img, oy, ox;
        begin
            img = win / (OH * OW);
            oy = win % (OH * OW) / OW;
            ox = win % OW;
            first_pixel = img * HW + (oy >= PAD ? oy - PAD : 0) * W + (ox >= PAD ? ox - PAD : 0);
        end
    endfunction
    function integer last_pixel(input integer win);
        integer img, oy, ox;
        begin
            img = win / (OH * OW);
            oy = win % (OH * OW) / OW;
            ox = win % OW;
            last_pixel = img * HW + (oy - PAD + K - 1 < H ? oy - PAD + K - 1 : H - 1) * W
                         + (ox - PAD + K - 1 < W ? ox - PAD + K - 1 : W - 1);
        end
    endfunction
    // the first pixel still needed while window `win` is read: by it or a later window (the first
    // window of the next row of windows goes back to column 0, and to the same row when oy < PAD)
    function integer first_needed(input integer win);
        integer next_row;
        begin
            first_needed = first_pixel(win);
            next_row = (win / OW + 1) * OW;
            if (win % (OH * OW) / OW < OH - 1 && first_pixel(next_row) < first_needed) first_needed = first_pixel(next_row);
        end
    endfunction

    integer cycle = 0, errors = 0, sent = 0, got = 0, after = 0, s, back_to_back = 0, waited = 0;
    integer win, img, oy, ox, r, ky, kx, cw, iy, ix, due, last_word, taken_at = -1;
    // the documented timing: words read (issued), taken, in the output queue; read in the last cycle
    integer m_issued = 0, m_taken = 0, m_queue = 0;
    reg     m_read = 1'b0, exp_valid, exp_ready, m_take, m_issue, offered = 1'b0;
    reg [XW-1:0] e;
    reg [63:0] rnd;
    always @(posedge clk) begin
        if (!rst_n) begin
            m_issued = 0;
            m_taken = 0;
            m_queue = 0;
            m_read = 1'b0;
        end else begin
            exp_valid = m_queue > 0;
            exp_ready = sent / CW < first_needed(m_issued / WIN_WORDS) + DP;
            if (out_valid !== exp_valid || in_ready !== exp_ready) begin
                errors = errors + 1;
                if (errors <= 5) $display("FAIL: cycle %0d (%0d words read, %0d taken; %0d words in, the next of pixel %0d; pixels from %0d needed, %0d held): out_valid %b in_ready %b, expected %b %b",
                                          cycle, m_issued, m_taken, sent, sent / CW, first_needed(m_issued / WIN_WORDS), DP,
                                          out_valid, in_ready, exp_valid, exp_ready);
            end
            m_take = exp_valid && out_ready;
            m_issue = m_issued - m_taken - (m_take ? 1 : 0) < 2
                      && (m_issued % WIN_WORDS != 0 || sent / CW > last_pixel(m_issued / WIN_WORDS));
            m_queue = m_queue + (m_read ? 1 : 0) - (m_take ? 1 : 0);
            m_read = m_issue;
            if (m_issue) m_issued = m_issued + 1;
            if (m_take) m_taken = m_taken + 1;
        end
        // when word `got` is first offered: a window's first word three cycles after its last pixel was taken, at the earliest
        if (rst_n && out_valid && !offered && got < OUT_WORDS) begin
            offered = 1'b1;
            due = taken_at + 1;
            if (got % WIN_WORDS == 0) begin
                last_word = last_pixel(got / WIN_WORDS) * CW + CW - 1;
                if (last_word >= sent) begin
                    errors = errors + 1;
                    if (errors <= 5) $display("FAIL: cycle %0d: window %0d offered with %0d input words taken, its last pixel ends at word %0d",
                                              cycle, got / WIN_WORDS, sent, last_word);
                    due = cycle;
                end else if (accepted_at[last_word] + 3 > due) begin
                    due = accepted_at[last_word] + 3;
                    waited = waited + 1;
                end else if (got > 0) begin
                    back_to_back = back_to_back + 1;
                end
            end
            if (cycle != due) begin
                errors = errors + 1;
                if (errors <= 5) $display("FAIL: word %0d (window %0d, word %0d of it) first offered in cycle %0d, expected %0d",
                                          got, got / WIN_WORDS, got % WIN_WORDS, cycle, due);
            end
        end
        // the sink: word `got` is word (ky, kx, cw) of window (oy, ox) of image img
        if (rst_n && out_valid && out_ready) begin
            if (got >= OUT_WORDS) begin
                errors = errors + 1;
                if (errors <= 5) $display("FAIL: cycle %0d: a word after the last", cycle);
            end else begin
                win = got / WIN_WORDS;
                img = win / (OH * OW);
                oy = win % (OH * OW) / OW;
                ox = win % OW;
                r = got % WIN_WORDS;
                ky = r / (K * CW);
                kx = r / CW % K;
                cw = r % CW;
                iy = oy + ky - PAD;
                ix = ox + kx - PAD;
                for (s = 0; s < SIMD; s = s + 1)
                    e[s*BITS +: BITS] = iy < 0 || iy >= H || ix < 0 || ix >= W ? {BITS{1'b0}}
                                        : values[((img * H + iy) * W + ix) * C + cw * SIMD + s];
                if (out_data !== e) begin
                    errors = errors + 1;
                    if (errors <= 5) $display("FAIL: cycle %0d: image %0d window (%0d, %0d) word (ky %0d kx %0d cw %0d) is %h, expected %h",
                                              cycle, img, oy, ox, ky, kx, cw, out_data, e);
                end
                if (got % IMG_WORDS == IMG_WORDS - 1 && sent < (img + 1) * HW * CW) begin
                    errors = errors + 1;
                    if (errors <= 5) $display("FAIL: image %0d's last word taken after %0d input words, expected at least %0d",
                                              img, sent, (img + 1) * HW * CW);
                end
            end
            got = got + 1;
            offered = 1'b0;
            taken_at = cycle;
        end
        if (rst_n && in_valid && in_ready) begin
            if (sent < IN_WORDS) accepted_at[sent] = cycle;
            sent = sent + 1;
        end
        // the source keeps a word until it is taken; images in turn: some gaps, none, many, none
        if (!in_valid || in_ready || !rst_n) begin
            case (sent / (HW * CW) % 4)
                0: rnd = {$random(seed)} % 4;
                1: rnd = 1;
                2: rnd = {$random(seed)} % 16 == 0;
                default: rnd = 1;
            endcase
            in_valid <= cycle > 2 && sent < IN_WORDS && rnd != 0;
            for (s = 0; s < SIMD; s = s + 1)
                in_data[s*BITS +: BITS] <= sent < IN_WORDS ? values[sent * SIMD + s] : {BITS{1'b0}};
        end
        // the sink, images in turn: some stalls, none, none, many
        case (got / IMG_WORDS % 4)
            0: rnd = {$random(seed)} % 3;
            1, 2: rnd = 1;
            default: rnd = {$random(seed)} % 4 == 0;
        endcase
        out_ready <= rnd != 0;
        rst_n <= cycle >= 2;
        cycle = cycle + 1;
        if (got >= OUT_WORDS) after = after + 1;  // a few more cycles: nothing more may come out
        if (after == 8 || cycle == 8 * OUT_WORDS + 20 * IN_WORDS + 200) begin
            $display("windows offered as their input arrived: %0d, right after the window before: %0d", waited, back_to_back);
            if (got != OUT_WORDS) $display("FAIL: %0d of %0d words after %0d cycles", got, OUT_WORDS, cycle);
            else if (sent != IN_WORDS) $display("FAIL: %0d input words taken for %0d images of %0d", sent, IMAGES, HW * CW);
            else if (errors == 0) $display("PASS");
            else $display("FAIL: %0d errors", errors);
            $finish;
        end
    end
endmodule
`default_nettype wire
