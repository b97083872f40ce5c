// bc_swu_buf: the sliding-window unit of a conv layer with many channels: it takes an H x W
// feature map as a stream of words of SIMD values (C/SIMD words per pixel, pixels in raster order,
// value s at [s*BITS +: BITS]; bc_dwc splits a layer's pixels into them) and offers every K x K
// window of the map with PAD zeros around it as K*K*C/SIMD words, in the order of the weights'
// columns (j = (ky*K + kx)*C + c, docs/contract.md): kernel rows, then pixels, then channels. That
// is the SF words of SIMD values a bc_dense with RAM_IN = 1 takes per vector.
//
// The words sit in one buffer of 2^DEPTH_BITS words (block RAM when BRAM = 1), written in order and
// read back by address: a pixel's words follow one another, so a kernel row's K pixels are one run
// of K*C/SIMD words. Writing and reading are decoupled: a window is read once every pixel it needs
// is written (the last is its bottom-right pixel inside the map), and a word is written once the
// word it replaces is no longer needed (the buffer holds at least (K-1)*W + K pixels: K-1 rows and
// K pixels). A buffer deeper than that takes the next rows, or the next image, while windows are
// still being read, so that a slow layer downstream does not stall the layer upstream at once.
// Padding words are zeros generated on the read side: they cost a cycle each, not memory.
//
// Timing: a word is taken in any cycle in which the buffer has room for its pixel. A word is read
// in any cycle in which its window is available (checked at the window's first word) and fewer
// than two words are read and not yet taken downstream; it is offered two cycles later (the block
// RAM's read register, then a two-word output queue). org.bcflow.rtlgen.StreamModel mirrors this
// exactly.
`default_nettype none
module bc_swu_buf #(
    parameter integer H          = 14,
    parameter integer W          = 14,
    parameter integer C          = 16,  // channels per pixel; SIMD divides it
    parameter integer BITS       = 2,
    parameter integer K          = 3,
    parameter integer PAD        = 1,   // 0 (valid) or (K-1)/2 (same)
    parameter integer SIMD       = 4,
    parameter integer DEPTH_BITS = 8,   // the buffer holds 2^DEPTH_BITS words
    parameter integer BRAM       = 1    // 1: the buffer in block RAM, 0: in logic
) (
    input  wire                 clk,
    input  wire                 rst_n,      // synchronous, active low
    input  wire                 in_valid,   // input stream: one word of SIMD values
    output wire                 in_ready,
    input  wire [SIMD*BITS-1:0] in_data,
    output wire                 out_valid,  // output stream: one word of a window
    input  wire                 out_ready,
    output wire [SIMD*BITS-1:0] out_data
);
    localparam integer CW = C / SIMD;                  // words per pixel
    localparam integer D = 1 << DEPTH_BITS;            // words in the buffer
    localparam integer DP = D / CW;                    // whole pixels the buffer holds
    localparam integer HW = H * W;
    localparam integer HP = H + 2 * PAD;
    localparam integer WP = W + 2 * PAD;
    localparam integer OH = HP - K + 1;
    localparam integer OW = WP - K + 1;
    localparam integer XW = SIMD * BITS;
    // pixel counts up to HW + DP, positions up to the padded map
    localparam integer P_BITS = $clog2(HW + DP + 1);
    localparam integer Y_BITS = $clog2(HP + 1);
    localparam integer X_BITS = $clog2(WP + 1);
    localparam integer K_BITS = $clog2(K + 1);
    localparam integer C_BITS = $clog2(CW + 1);
    localparam integer A = DEPTH_BITS;
    // word-address steps, modulo the buffer: one map row, one image, the padding before a window
    localparam integer ROW_W   = W * CW;
    localparam integer IMAGE_W = HW * CW;
    localparam integer PAD_W   = (PAD * W + PAD) * CW;
    localparam [A-1:0] ROW_WORDS   = ROW_W[A-1:0];
    localparam [A-1:0] IMAGE_WORDS = IMAGE_W[A-1:0];
    localparam [A-1:0] PAD_WORDS   = PAD_W[A-1:0];
    localparam [A-1:0] PIXEL_WORDS = CW[A-1:0];

    // Parameter checks: a bad value fails elaboration with the name of the missing module.
    generate
        if (H < 1 || W < 1 || C < 1 || BITS < 1 || K < 1 || SIMD < 1) begin : g_check_sizes
            PARAMETER_CHECK_bc_swu_buf_sizes_below_1 u_check ();
        end
        if (C % SIMD != 0) begin : g_check_simd
            PARAMETER_CHECK_bc_swu_buf_SIMD_does_not_divide_C u_check ();
        end
        if (PAD < 0 || PAD >= K || K > HP || K > WP) begin : g_check_kernel
            PARAMETER_CHECK_bc_swu_buf_PAD_or_K_do_not_fit_the_map u_check ();
        end
        if (DP < (K - 1) * W + K) begin : g_check_depth
            PARAMETER_CHECK_bc_swu_buf_buffer_below_K_minus_1_rows_and_K_pixels u_check ();
        end
    endgenerate

    // ---- the reader's place: window (oy, ox) in padded coordinates, word (ky, kx, cw) of it ----
    reg [Y_BITS-1:0] oy;
    reg [X_BITS-1:0] ox;
    reg [K_BITS-1:0] ky, kx;
    reg [C_BITS-1:0] cw;
    reg [P_BITS-1:0] first_row;  // max(0, oy - PAD) * W: the first pixel the window's rows need, less its column
    reg [P_BITS-1:0] last_row;   // min(H - 1, oy - PAD + K - 1) * W
    reg [A-1:0]      base;       // the word address of the reader's image's first pixel
    reg [A-1:0]      tl_row;     // of pixel (oy - PAD, -PAD): the row of windows' top-left corner
    reg [A-1:0]      tl;         // of pixel (oy - PAD, ox - PAD): this window's top-left corner
    reg [A-1:0]      row_addr;   // of the kernel row's first word
    reg [A-1:0]      addr;       // of the word to read next
    reg [P_BITS-1:0] wp;         // pixels written, counted from the reader's image's first
    reg [C_BITS-1:0] wcw;        // words of the pixel being written
    reg [A-1:0]      waddr;

    /* verilator lint_off WIDTH */
    /* verilator lint_off UNSIGNED */
    /* verilator lint_off CMPCONST */
    wire [P_BITS-1:0] first_col = ox >= PAD ? ox - PAD : 0;
    wire [P_BITS-1:0] last_col  = ox + K - 1 - PAD >= W - 1 ? W - 1 : ox + K - 1 - PAD;
    wire in_map = oy + ky >= PAD && oy + ky < PAD + H && ox + kx >= PAD && ox + kx < PAD + W;
    /* verilator lint_on CMPCONST */
    /* verilator lint_on UNSIGNED */
    /* verilator lint_on WIDTH */
    // The first pixel this window and every later one still need. In the top PAD rows of windows
    // the next row of windows starts on the same input row (the rows above are padding), at its
    // first column; from then on each row of windows starts one input row further down.
    /* verilator lint_off UNSIGNED */
    /* verilator lint_off CMPCONST */
    /* verilator lint_off WIDTH */
    wire [P_BITS-1:0] first_px = first_row + (oy >= PAD ? first_col : {P_BITS{1'b0}});
    /* verilator lint_on WIDTH */
    /* verilator lint_on CMPCONST */
    /* verilator lint_on UNSIGNED */
    wire [P_BITS-1:0] last_px  = last_row + last_col;

    wire last_cw = cw == CW[C_BITS-1:0] - 1'b1;
    wire last_kx = kx == K[K_BITS-1:0] - 1'b1;
    wire last_ky = ky == K[K_BITS-1:0] - 1'b1;
    wire last_ox = ox == OW[X_BITS-1:0] - 1'b1;
    wire last_oy = oy == OH[Y_BITS-1:0] - 1'b1;
    wire at_start = cw == {C_BITS{1'b0}} && kx == {K_BITS{1'b0}} && ky == {K_BITS{1'b0}};
    wire available = wp > last_px;  // every pixel of the window is written

    // ---- the output: two words read and not taken at most (the block RAM's register, a two-word queue) ----
    reg  [1:0] pending;  // words read and not yet taken downstream
    wire take = out_valid && out_ready;
    wire room_out = pending - {1'b0, take} < 2'd2;
    wire issue = rst_n && room_out && (!at_start || available);
    wire window_done = issue && last_cw && last_kx && last_ky;
    wire image_done = window_done && last_ox && last_oy;

    // ---- the writer: a word in while its pixel's slot no longer holds a pixel the reader needs ----
    /* verilator lint_off WIDTH */
    wire room_in = wp < first_px + DP;
    /* verilator lint_on WIDTH */
    assign in_ready = rst_n && room_in;
    wire write = in_valid && in_ready;
    wire pixel_written = write && wcw == CW[C_BITS-1:0] - 1'b1;

    always @(posedge clk) begin
        if (!rst_n) begin
            wp    <= {P_BITS{1'b0}};
            wcw   <= {C_BITS{1'b0}};
            waddr <= {A{1'b0}};
        end else begin
            if (write) begin
                waddr <= waddr + 1'b1;
                wcw <= pixel_written ? {C_BITS{1'b0}} : wcw + 1'b1;
            end
            /* verilator lint_off WIDTH */
            wp <= wp + pixel_written - (image_done ? HW : 0);
            /* verilator lint_on WIDTH */
        end
    end

    always @(posedge clk) begin
        if (!rst_n) begin
            oy <= {Y_BITS{1'b0}};
            ox <= {X_BITS{1'b0}};
            ky <= {K_BITS{1'b0}};
            kx <= {K_BITS{1'b0}};
            cw <= {C_BITS{1'b0}};
            first_row <= {P_BITS{1'b0}};
            /* verilator lint_off WIDTH */
            last_row <= (K - 1 - PAD >= H - 1 ? H - 1 : K - 1 - PAD) * W;
            /* verilator lint_on WIDTH */
            base     <= {A{1'b0}};
            tl_row   <= {A{1'b0}} - PAD_WORDS;
            tl       <= {A{1'b0}} - PAD_WORDS;
            row_addr <= {A{1'b0}} - PAD_WORDS;
            addr     <= {A{1'b0}} - PAD_WORDS;
        end else if (issue) begin
            cw <= last_cw ? {C_BITS{1'b0}} : cw + 1'b1;
            if (last_cw) kx <= last_kx ? {K_BITS{1'b0}} : kx + 1'b1;
            if (last_cw && last_kx) ky <= last_ky ? {K_BITS{1'b0}} : ky + 1'b1;
            if (!window_done) begin
                if (last_cw && last_kx) begin
                    row_addr <= row_addr + ROW_WORDS;
                    addr     <= row_addr + ROW_WORDS;
                end else begin
                    addr <= addr + 1'b1;
                end
            end else if (image_done) begin
                oy <= {Y_BITS{1'b0}};
                ox <= {X_BITS{1'b0}};
                first_row <= {P_BITS{1'b0}};
                /* verilator lint_off WIDTH */
                last_row <= (K - 1 - PAD >= H - 1 ? H - 1 : K - 1 - PAD) * W;
                /* verilator lint_on WIDTH */
                base     <= base + IMAGE_WORDS;
                tl_row   <= base + IMAGE_WORDS - PAD_WORDS;
                tl       <= base + IMAGE_WORDS - PAD_WORDS;
                row_addr <= base + IMAGE_WORDS - PAD_WORDS;
                addr     <= base + IMAGE_WORDS - PAD_WORDS;
            end else if (last_ox) begin
                ox <= {X_BITS{1'b0}};
                oy <= oy + 1'b1;
                /* verilator lint_off WIDTH */
                /* verilator lint_off UNSIGNED */
                if (oy >= PAD) first_row <= first_row + W;
                if (oy + K - PAD < H) last_row <= last_row + W;
                /* verilator lint_on UNSIGNED */
                /* verilator lint_on WIDTH */
                tl_row   <= tl_row + ROW_WORDS;
                tl       <= tl_row + ROW_WORDS;
                row_addr <= tl_row + ROW_WORDS;
                addr     <= tl_row + ROW_WORDS;
            end else begin
                ox <= ox + 1'b1;
                tl       <= tl + PIXEL_WORDS;
                row_addr <= tl + PIXEL_WORDS;
                addr     <= tl + PIXEL_WORDS;
            end
        end
    end

    // ---- the buffer: written in order, read by address (one clock of latency) ----
    reg [XW-1:0] rdata;
    reg          r_valid, r_pad;  // a word was read at the last edge; it is padding (a zero)
    generate
        if (BRAM != 0) begin : g_block
            (* ram_style = "block" *) reg [XW-1:0] words [0:D-1];
            always @(posedge clk) begin
                if (write) words[waddr] <= in_data;
                rdata <= words[addr];
            end
        end else begin : g_logic
            (* ram_style = "logic" *) reg [XW-1:0] words [0:D-1];
            always @(posedge clk) begin
                if (write) words[waddr] <= in_data;
                rdata <= words[addr];
            end
        end
    endgenerate
    always @(posedge clk) begin
        r_valid <= issue;
        r_pad   <= !in_map;
        if (!rst_n) pending <= 2'd0;
        else pending <= pending + {1'b0, issue} - {1'b0, take};
    end

    bc_outq #(.WIDTH(XW), .DEPTH(2)) u_queue (
        .clk(clk), .rst_n(rst_n), .push(r_valid), .push_data(r_pad ? {XW{1'b0}} : rdata),
        .out_valid(out_valid), .out_ready(out_ready), .out_data(out_data)
    );
endmodule
`default_nettype wire
