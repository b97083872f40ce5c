// tb_bc_addtree: self-checking testbench of bc_addtree. Random weight bits and inputs, plus the
// extremes (all inputs at their maximum, all +1 or all -1), each checked against a plain sum
// ceil(log2(N)) clocks later. Prints PASS or FAIL: ... and finishes.
`default_nettype none
module tb_bc_addtree;
    parameter integer N       = 4;
    parameter integer IN_BITS = 8;
    parameter integer W       = 16;   // holds N * (2^IN_BITS - 1) signed
    localparam integer LEVELS = N > 1 ? $clog2(N) : 0;

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg  [N-1:0]         plus = {N{1'b0}};
    reg  [N*IN_BITS-1:0] x = {N*IN_BITS{1'b0}};
    wire [W-1:0]         sum;
    bc_addtree #(.N(N), .IN_BITS(IN_BITS), .W(W)) dut (.clk(clk), .plus(plus), .x(x), .sum(sum));

    reg [W-1:0] expected [0:63];  // by cycle, modulo 64
    reg signed [63:0] s;
    integer cycle = 0, errors = 0, k, seed = 2;
    reg [63:0] rnd;
    always @(posedge clk) begin
        s = 0;
        for (k = 0; k < N; k = k + 1)
            s = plus[k] ? s + x[k*IN_BITS +: IN_BITS] : s - x[k*IN_BITS +: IN_BITS];
        expected[cycle % 64] = s[W-1:0];
        if (cycle >= LEVELS && sum !== expected[(cycle - LEVELS) % 64]) begin
            errors = errors + 1;
            if (errors <= 5) $display("FAIL: cycle %0d sum %0d, expected %0d", cycle, $signed(sum),
                                      $signed(expected[(cycle - LEVELS) % 64]));
        end
        for (k = 0; k < N; k = k + 1) begin
            rnd = $random(seed);
            plus[k] <= cycle % 7 == 3 ? 1'b1 : cycle % 7 == 5 ? 1'b0 : rnd[0];
            rnd = $random(seed);
            x[k*IN_BITS +: IN_BITS] <= cycle % 7 == 3 || cycle % 7 == 5 ? {IN_BITS{1'b1}} : rnd[IN_BITS-1:0];
        end
        cycle = cycle + 1;
        if (cycle == 300) begin
            if (errors == 0) $display("PASS");
            else $display("FAIL: %0d errors", errors);
            $finish;
        end
    end
endmodule
`default_nettype wire
