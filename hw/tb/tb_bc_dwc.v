// tb_bc_dwc: self-checking testbench of bc_dwc. A source sends a sequence of random values, IN_N
// per beat (value 0 in the lowest bits), with random gaps; a sink takes OUT_N per beat with random
// back-pressure (in turn: some gaps and stalls; neither; many gaps; many stalls) and checks that
// it gets the same sequence, in order, that no beat is lost or repeated, and that nothing more
// comes out in the few cycles after the last beat. The handshakes are checked against the
// documented timing: equal widths pass valid and ready straight through; gathering offers a word in
// the cycle its last beat arrives and takes that beat only with the word; splitting offers the held
// beat's parts one per cycle from the cycle after the beat was taken, and takes the next beat in
// the cycle its last part is taken (so with neither gaps nor stalls a part leaves every cycle).
// Prints PASS or FAIL: ... and finishes.
`default_nettype none
module tb_bc_dwc;
    parameter integer IN_N  = 16;
    parameter integer OUT_N = 8;
    parameter integer BITS  = 2;
    localparam integer BIG = IN_N > OUT_N ? IN_N : OUT_N;
    localparam integer RATIO = IN_N > OUT_N ? IN_N / OUT_N : OUT_N / IN_N;
    localparam integer BLOCKS = 24;                 // of BIG values; the gaps and stalls change every 4
    localparam integer TOTAL = BLOCKS * BIG;

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg                   rst_n = 1'b0;
    reg                   in_valid = 1'b0;
    wire                  in_ready;
    reg  [IN_N*BITS-1:0]  in_data = {IN_N*BITS{1'b0}};
    wire                  out_valid;
    reg                   out_ready = 1'b0;
    wire [OUT_N*BITS-1:0] out_data;
    bc_dwc #(.IN_N(IN_N), .OUT_N(OUT_N), .BITS(BITS)) dut (
        .clk(clk), .rst_n(rst_n), .in_valid(in_valid), .in_ready(in_ready), .in_data(in_data),
        .out_valid(out_valid), .out_ready(out_ready), .out_data(out_data));

    reg [BITS-1:0] values [0:TOTAL-1];
    integer i, seed = 9;
    initial for (i = 0; i < TOTAL; i = i + 1) values[i] = $random(seed);

    integer cycle = 0, errors = 0, sent = 0, got = 0, after = 0, k;
    integer left = 0;              // splitting: parts of the held beat not yet taken
    reg     exp_valid, exp_ready;  // the documented timing
    reg [63:0] rnd;
    always @(posedge clk) begin
        if (!rst_n) begin
            left = 0;
        end else begin
            if (IN_N == OUT_N) begin
                exp_valid = in_valid;
                exp_ready = out_ready;
            end else if (OUT_N > IN_N) begin
                exp_valid = in_valid && sent % RATIO == RATIO - 1;
                exp_ready = sent % RATIO != RATIO - 1 || out_ready;
            end else begin
                exp_valid = left != 0;
                exp_ready = left == 0 || left == 1 && out_ready;
            end
            if (out_valid !== exp_valid || in_ready !== exp_ready) begin
                errors = errors + 1;
                if (errors <= 5) $display("FAIL: cycle %0d after %0d beats in, %0d out: out_valid %b in_ready %b, expected %b %b",
                                          cycle, sent, got, out_valid, in_ready, exp_valid, exp_ready);
            end
            if (exp_valid && out_ready) left = left - 1;
            if (in_valid && exp_ready) left = RATIO;
        end
        // the sink: beat `got` holds values got*OUT_N .. got*OUT_N + OUT_N - 1
        if (rst_n && out_valid && out_ready) begin
            for (k = 0; k < OUT_N; k = k + 1)
                if (got * OUT_N + k >= TOTAL || out_data[k*BITS +: BITS] !== values[got*OUT_N + k]) begin
                    errors = errors + 1;
                    if (errors <= 5) $display("FAIL: beat %0d value %0d is %0d, expected %0d", got, k,
                                              out_data[k*BITS +: BITS], values[got*OUT_N + k]);
                end
            got = got + 1;
        end
        if (rst_n && in_valid && in_ready) sent = sent + 1;
        // the source keeps a beat until it is taken; every 4 blocks in turn: some gaps, none, many, none
        if (!in_valid || in_ready || !rst_n) begin
            case (sent * IN_N / BIG / 4 % 4)
                0: rnd = {$random(seed)} % 4;
                1: rnd = 1;
                2: rnd = {$random(seed)} % 4 == 0;
                default: rnd = 1;
            endcase
            in_valid <= cycle > 2 && sent < TOTAL / IN_N && rnd != 0;
            for (k = 0; k < IN_N; k = k + 1)
                in_data[k*BITS +: BITS] <= sent < TOTAL / IN_N ? values[sent*IN_N + k] : {BITS{1'b0}};
        end
        case (got * OUT_N / BIG / 4 % 4)
            0: rnd = {$random(seed)} % 3;
            1, 2: rnd = 1;
            default: rnd = {$random(seed)} % 4 == 0;
        endcase
        out_ready <= rnd != 0;
        rst_n <= cycle >= 2;
        cycle = cycle + 1;
        if (got >= TOTAL / OUT_N) after = after + 1;  // a few more cycles: nothing more may come out
        if (after == 8 || cycle == 20 * TOTAL + 100) begin
            if (got != TOTAL / OUT_N) $display("FAIL: %0d of %0d beats out after %0d cycles", got, TOTAL / OUT_N, cycle);
            else if (sent != TOTAL / IN_N) $display("FAIL: %0d beats in for %0d out", sent, got);
            else if (errors == 0) $display("PASS");
            else $display("FAIL: %0d errors", errors);
            $finish;
        end
    end
endmodule
`default_nettype wire
