// tb_bc_input: self-checking testbench of bc_input. A source sends the values 0, 1, 2, ... (mod
// 2^BITS), PIX per beat, with random gaps; a sink takes groups with random back-pressure and
// checks that group g holds values g*GROUP .. g*GROUP+GROUP-1 in order, and that the source's
// beats are neither lost nor duplicated. Prints PASS or FAIL: ... and finishes.
`default_nettype none
module tb_bc_input;
    parameter integer GROUP = 8;
    parameter integer BITS  = 8;
    parameter integer PIX   = 1;
    localparam integer GROUPS = 6;

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg                   rst_n = 1'b0;
    reg  [PIX*BITS-1:0]   tdata = {PIX*BITS{1'b0}};
    reg                   tvalid = 1'b0;
    wire                  tready;
    wire                  out_valid;
    reg                   out_ready = 1'b0;
    wire [GROUP*BITS-1:0] out_data;
    bc_input #(.GROUP(GROUP), .BITS(BITS), .PIX(PIX)) dut (
        .clk(clk), .rst_n(rst_n), .s_axis_tdata(tdata), .s_axis_tvalid(tvalid), .s_axis_tready(tready),
        .out_valid(out_valid), .out_ready(out_ready), .out_data(out_data));

    integer cycle = 0, errors = 0, sent = 0, got = 0, k, seed = 3;
    reg [BITS-1:0] v;
    reg [63:0] rnd;
    always @(posedge clk) begin
        if (rst_n && out_valid && out_ready) begin
            for (k = 0; k < GROUP; k = k + 1) begin
                v = got * GROUP + k;
                if (out_data[k*BITS +: BITS] !== v) begin
                    errors = errors + 1;
                    if (errors <= 5) $display("FAIL: group %0d value %0d is %0d, expected %0d", got, k,
                                              out_data[k*BITS +: BITS], v);
                end
            end
            got = got + 1;
        end
        if (rst_n && tvalid && tready) sent = sent + 1;
        // the source keeps a beat until it is taken; a new beat holds the next PIX values
        if (!tvalid || tready || !rst_n) begin
            rnd = {$random(seed)} % 4;
            tvalid <= cycle > 2 && sent < GROUPS * GROUP / PIX && rnd != 0;
            for (k = 0; k < PIX; k = k + 1) begin
                v = sent * PIX + k;
                tdata[k*BITS +: BITS] <= v;
            end
        end
        rnd = {$random(seed)} % 3;
        out_ready <= rnd != 0;
        rst_n <= cycle >= 2;
        cycle = cycle + 1;
        if (got == GROUPS || cycle == 100 * GROUPS * GROUP) begin
            if (got != GROUPS) $display("FAIL: %0d of %0d groups after %0d cycles", got, GROUPS, cycle);
            else if (sent != GROUPS * GROUP / PIX) $display("FAIL: %0d beats taken for %0d groups", sent, GROUPS);
            else if (errors == 0) $display("PASS");
            else $display("FAIL: %0d errors", errors);
            $finish;
        end
    end
endmodule
`default_nettype wire
