// tb_bc_argmax: self-checking testbench of bc_argmax. Random scores (often from a small range, so
// that ties happen) with random gaps and back-pressure; checks the index of the largest score
// (the lowest index on ties), the scores on tuser, tlast, and that the class is offered exactly
// ceil(log2(C)) + 2 cycles after the scores were accepted. Prints PASS or FAIL: ... and finishes.
`default_nettype none
module tb_bc_argmax;
    parameter integer C          = 10;
    parameter integer SCORE_BITS = 16;
    parameter integer TDATA_BITS = 8;
    localparam integer LEVELS = C > 1 ? $clog2(C) : 0;
    localparam integer IMAGES = 40;

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg                     rst_n = 1'b0;
    reg                     in_valid = 1'b0;
    wire                    in_ready;
    reg  [C*SCORE_BITS-1:0] in_data = {C*SCORE_BITS{1'b0}};
    wire [TDATA_BITS-1:0]   tdata;
    wire [C*SCORE_BITS-1:0] tuser;
    wire                    tvalid, tlast;
    reg                     tready = 1'b0;
    bc_argmax #(.C(C), .SCORE_BITS(SCORE_BITS), .TDATA_BITS(TDATA_BITS)) dut (
        .clk(clk), .rst_n(rst_n), .in_valid(in_valid), .in_ready(in_ready), .in_data(in_data),
        .m_axis_tdata(tdata), .m_axis_tuser(tuser), .m_axis_tvalid(tvalid), .m_axis_tready(tready),
        .m_axis_tlast(tlast));

    reg [C*SCORE_BITS-1:0] held;   // the scores accepted and not yet delivered
    integer held_index, held_cycle, pending = 0, offered = 0;
    integer cycle = 0, errors = 0, sent = 0, got = 0, k, best, seed = 4;
    reg signed [63:0] a, b;
    reg [63:0] rnd;
    always @(posedge clk) begin
        if (rst_n && tvalid && !offered) begin
            offered = 1;
            if (cycle - held_cycle != LEVELS + 2) begin
                errors = errors + 1;
                $display("FAIL: class offered %0d cycles after the scores, expected %0d", cycle - held_cycle, LEVELS + 2);
            end
        end
        if (rst_n && tvalid && tready) begin
            if (!pending || tdata !== held_index || tuser !== held || tlast !== 1'b1) begin
                errors = errors + 1;
                if (errors <= 5) $display("FAIL: image %0d class %0d, expected %0d (pending %0d)", got, tdata, held_index, pending);
            end
            pending = 0;
            offered = 0;
            got = got + 1;
        end
        if (rst_n && in_valid && in_ready) begin
            if (pending) begin
                errors = errors + 1;
                $display("FAIL: scores accepted while the last class is still pending");
            end
            held = in_data;
            best = 0;
            for (k = 1; k < C; k = k + 1) begin
                a = $signed(in_data[k*SCORE_BITS +: SCORE_BITS]);
                b = $signed(in_data[best*SCORE_BITS +: SCORE_BITS]);
                if (a > b) best = k;
            end
            held_index = best;
            held_cycle = cycle;
            pending = 1;
            sent = sent + 1;
        end
        if (!in_valid || in_ready || !rst_n) begin
            rnd = {$random(seed)} % 3;
            in_valid <= cycle > 2 && sent < IMAGES && rnd != 0;
            for (k = 0; k < C; k = k + 1)
            begin
                rnd = sent % 2 ? $random(seed) % 3 : $random(seed);
                in_data[k*SCORE_BITS +: SCORE_BITS] <= rnd[SCORE_BITS-1:0];
            end
        end
        rnd = {$random(seed)} % 3;
        tready <= rnd != 0;
        rst_n <= cycle >= 2;
        cycle = cycle + 1;
        if (got == IMAGES || cycle == 100 * IMAGES) begin
            if (got != IMAGES) $display("FAIL: %0d of %0d classes after %0d cycles", got, IMAGES, cycle);
            else if (errors == 0) $display("PASS");
            else $display("FAIL: %0d errors", errors);
            $finish;
        end
    end
endmodule
`default_nettype wire
