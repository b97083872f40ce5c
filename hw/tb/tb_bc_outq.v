// tb_bc_outq: self-checking testbench of bc_outq. The testbench plays the layer: it pushes random
// words, but only while its own count of the queue's entries is below DEPTH (often in the same
// cycle as a pop), and takes the head with random back-pressure (in turn: a slow sink that lets
// the queue fill up; random pushes and pops; a push and a pop every cycle). Checks against a
// reference queue that out_valid is high exactly when the queue holds an entry (the head offered
// from the cycle after its push), that the head offered is the oldest word, and that the words
// come out in order, none lost or repeated, nothing after the last. Prints PASS or FAIL: ... and
// finishes.
`default_nettype none
module tb_bc_outq;
    parameter integer WIDTH = 32;
    parameter integer DEPTH = 2;
    localparam integer PUSHES = 120;

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg              rst_n = 1'b0;
    reg              push = 1'b0;
    reg  [WIDTH-1:0] push_data = {WIDTH{1'b0}};
    wire             out_valid;
    reg              out_ready = 1'b0;
    wire [WIDTH-1:0] out_data;
    bc_outq #(.WIDTH(WIDTH), .DEPTH(DEPTH)) dut (
        .clk(clk), .rst_n(rst_n), .push(push), .push_data(push_data),
        .out_valid(out_valid), .out_ready(out_ready), .out_data(out_data));

    reg [WIDTH-1:0] words [0:PUSHES-1];  // the reference queue: words[popped .. pushed-1]
    integer i, b, seed = 10;
    initial
        for (i = 0; i < PUSHES; i = i + 1)
            for (b = 0; b < WIDTH; b = b + 32) words[i] = {words[i], $random(seed)};

    integer cycle = 0, errors = 0, pushed = 0, popped = 0, count = 0, after = 0, full = 0, both = 0;
    reg [63:0] rnd;
    always @(posedge clk) begin
        if (rst_n) begin
            if (out_valid !== (count != 0) || count != 0 && out_data !== words[popped]) begin
                errors = errors + 1;
                if (errors <= 5) $display("FAIL: cycle %0d with %0d entries: out_valid %b out_data %h, expected %b %h",
                                          cycle, count, out_valid, out_data, count != 0, words[popped]);
            end
            if (out_valid && out_ready) begin
                if (popped >= pushed) begin
                    errors = errors + 1;
                    if (errors <= 5) $display("FAIL: a word taken from an empty queue");
                end
                popped = popped + 1;
            end
            if (push && out_valid && out_ready) both = both + 1;
            if (push) pushed = pushed + 1;
            count = pushed - popped;
            if (count == DEPTH) full = full + 1;
        end
        // the layer: a push only while the queue, as it will be in the next cycle, has room
        case (popped / 10 % 3)
            0: begin
                rnd = {$random(seed)} % 4;
                push <= rst_n && cycle > 2 && pushed < PUSHES && count < DEPTH && rnd != 0;
                rnd = {$random(seed)} % 4 == 0;
            end
            1: begin
                rnd = {$random(seed)} % 2;
                push <= rst_n && cycle > 2 && pushed < PUSHES && count < DEPTH && rnd != 0;
                rnd = {$random(seed)} % 3;
            end
            default: begin
                push <= rst_n && cycle > 2 && pushed < PUSHES && count < DEPTH;
                rnd = 1;
            end
        endcase
        push_data <= pushed < PUSHES ? words[pushed] : {WIDTH{1'b0}};
        out_ready <= rnd != 0;
        rst_n <= cycle >= 2;
        cycle = cycle + 1;
        if (popped >= PUSHES) after = after + 1;  // a few more cycles: nothing more may come out
        if (after == 8 || cycle == 40 * PUSHES) begin
            if (popped != PUSHES) $display("FAIL: %0d of %0d words out after %0d cycles", popped, PUSHES, cycle);
            else if (full == 0) $display("FAIL: the queue was never full");
            else if (both == 0 && DEPTH > 1) $display("FAIL: never a push and a pop in the same cycle");
            else if (errors == 0) $display("PASS");
            else $display("FAIL: %0d errors", errors);
            $finish;
        end
    end
endmodule
`default_nettype wire
