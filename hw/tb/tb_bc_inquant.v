// tb_bc_inquant: self-checking testbench of bc_inquant. Thresholds t_j = min(2^IN_BITS,
// BASE + (j-1)*STEP) (STEP 0 gives equal thresholds, a large BASE thresholds that are never
// passed); every raw value 0 .. 2^IN_BITS - 1 goes through every lane, and each code is checked
// against #{ j : value >= t_j }. Prints PASS or FAIL: ... and finishes.
`default_nettype none
module tb_bc_inquant;
    parameter integer PIX      = 2;
    parameter integer IN_BITS  = 8;
    parameter integer OUT_BITS = 2;
    parameter integer BASE     = 10;
    parameter integer STEP     = 50;
    localparam integer T  = (1 << OUT_BITS) - 1;
    localparam integer TW = IN_BITS + 1;
    localparam integer NEVER = 1 << IN_BITS;

    function [T*TW-1:0] thresholds;
        input integer unused;
        integer j, t;
        begin
            thresholds = {T*TW{1'b0}};
            for (j = 0; j < T; j = j + 1) begin
                t = BASE + j * STEP;
                if (t > NEVER) t = NEVER;
                thresholds[j*TW +: TW] = t[TW-1:0];
            end
        end
    endfunction
    localparam [T*TW-1:0] TH = thresholds(0);

    reg  [PIX*IN_BITS-1:0]  in_data = {PIX*IN_BITS{1'b0}};
    wire [PIX*OUT_BITS-1:0] out_data;
    bc_inquant #(.PIX(PIX), .IN_BITS(IN_BITS), .OUT_BITS(OUT_BITS), .THRESHOLDS(TH)) dut (
        .in_data(in_data), .out_data(out_data));

    integer v, p, j, t, expected, errors = 0, checked = 0;
    reg [PIX*IN_BITS-1:0] beat;
    initial begin
        for (v = 0; v < NEVER; v = v + 1) begin
            // the whole beat in one assignment: Verilator 5.006 misses part-select writes to the
            // DUT's input made by a process that then waits
            for (p = 0; p < PIX; p = p + 1) begin
                beat[p*IN_BITS +: IN_BITS] = (v + p * 37) % NEVER;
            end
            in_data = beat;
            #1;
            for (p = 0; p < PIX; p = p + 1) begin
                expected = 0;
                for (j = 0; j < T; j = j + 1) begin
                    t = BASE + j * STEP;
                    if (t > NEVER) t = NEVER;
                    if ((v + p * 37) % NEVER >= t) expected = expected + 1;
                end
                checked = checked + 1;
                if (out_data[p*OUT_BITS +: OUT_BITS] !== expected[OUT_BITS-1:0]) begin
                    errors = errors + 1;
                    if (errors <= 5) $display("FAIL: lane %0d value %0d gives code %0d, expected %0d", p,
                                              (v + p * 37) % NEVER, out_data[p*OUT_BITS +: OUT_BITS], expected);
                end
            end
        end
        if (checked != NEVER * PIX) $display("FAIL: %0d of %0d codes checked", checked, NEVER * PIX);
        else if (errors == 0) $display("PASS");
        else $display("FAIL: %0d errors", errors);
        $finish;
    end
endmodule
`default_nettype wire
