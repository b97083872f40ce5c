// tb_bc_requant: self-checking testbench of bc_requant. The constant ROMs hold random words
// (tb_mul.mem, tb_add.mem, tb_th.mem, written by the runner); the testbench reads the same files
// and checks y for random folds and accumulators (including the extremes) against tb_model.vh.
// Prints PASS or FAIL: ... and finishes.
`default_nettype none
module tb_bc_requant;
    parameter integer PE         = 2;
    parameter integer NF         = 3;
    parameter integer ACC_BITS   = 12;
    parameter integer MUL_BITS   = 8;
    parameter integer ADD_BITS   = 16;
    parameter integer SUM_BITS   = 22;
    parameter integer SHIFT      = 4;
    parameter integer OUT_BITS   = 4;
    parameter integer SCORES     = 0;
    parameter integer THRESH     = 0;
    parameter integer TH_BITS    = 13;
    parameter integer CONST_BRAM = 1;
    localparam integer NF_BITS = NF > 1 ? $clog2(NF) : 1;
    localparam integer TW = 1 + ((1 << OUT_BITS) - 1) * TH_BITS;
    `include "tb_model.vh"

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg  [NF_BITS-1:0]      nf = {NF_BITS{1'b0}};
    reg                     load = 1'b0;
    reg  [PE*ACC_BITS-1:0]  acc = {PE*ACC_BITS{1'b0}};
    wire [PE*OUT_BITS-1:0]  y;
    bc_requant #(.PE(PE), .NF(NF), .ACC_BITS(ACC_BITS), .MUL_BITS(MUL_BITS), .ADD_BITS(ADD_BITS), .SUM_BITS(SUM_BITS),
                 .SHIFT(SHIFT), .OUT_BITS(OUT_BITS), .SCORES(SCORES), .THRESH(THRESH), .TH_BITS(TH_BITS),
                 .CONST_BRAM(CONST_BRAM), .MUL_FILE("tb_mul.mem"), .ADD_FILE("tb_add.mem"), .TH_FILE("tb_th.mem"))
        dut (.clk(clk), .nf(nf), .load(load), .acc(acc), .y(y));

    reg [PE*MUL_BITS-1:0] mul_rom [0:NF-1];
    reg [PE*ADD_BITS-1:0] add_rom [0:NF-1];
    reg [PE*TW-1:0]       th_rom  [0:NF-1];
    initial begin
        if (THRESH != 0) $readmemh("tb_th.mem", th_rom);
        else begin
            $readmemh("tb_mul.mem", mul_rom);
            $readmemh("tb_add.mem", add_rom);
        end
    end

    // one trial every 3 cycles: nf, then acc with load, then the check
    reg [PE*OUT_BITS-1:0] expected;
    reg signed [63:0] a, m, d, amax;
    integer cycle = 0, trial = 0, errors = 0, p, seed = 6, r;
    always @(posedge clk) begin
        case (cycle % 3)
            0: begin
                if (trial > 0 && y !== expected) begin
                    errors = errors + 1;
                    if (errors <= 5) $display("FAIL: trial %0d nf %0d y %h, expected %h", trial, nf, y, expected);
                end
                r = {$random(seed)} % NF;
                nf <= r[NF_BITS-1:0];
                load <= 1'b0;
            end
            1: begin
                amax = (64'sd1 <<< (ACC_BITS - 1)) - 1;
                for (p = 0; p < PE; p = p + 1) begin
                    a = trial % 5 == 1 ? amax : trial % 5 == 2 ? -amax : $random(seed) % amax;
                    acc[p*ACC_BITS +: ACC_BITS] <= a[ACC_BITS-1:0];
                    if (THRESH != 0) begin
                        expected[p*OUT_BITS +: OUT_BITS] = model_thresholds(a, th_rom[nf][p*TW +: TW]);
                    end else begin
                        m = $signed(mul_rom[nf][p*MUL_BITS +: MUL_BITS]);
                        d = $signed(add_rom[nf][p*ADD_BITS +: ADD_BITS]);
                        expected[p*OUT_BITS +: OUT_BITS] = model_muladd(a, m, d);
                    end
                end
                load <= 1'b1;
            end
            default: begin
                load <= 1'b0;
                trial = trial + 1;
            end
        endcase
        cycle = cycle + 1;
        if (trial == 200) begin
            if (errors == 0) $display("PASS");
            else $display("FAIL: %0d errors", errors);
            $finish;
        end
    end
endmodule
`default_nettype wire
