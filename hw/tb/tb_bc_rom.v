// tb_bc_rom: self-checking testbench of bc_rom. Reads the same file as the ROM (tb_rom.mem,
// written by the runner) and checks that random addresses come back one clock later.
// Prints PASS or FAIL: ... and finishes.
`default_nettype none
module tb_bc_rom;
    parameter integer WIDTH     = 16;
    parameter integer DEPTH     = 256;
    parameter integer ADDR_BITS = 8;
    parameter integer BLOCK     = 1;

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg  [ADDR_BITS-1:0] addr = {ADDR_BITS{1'b0}};
    wire [WIDTH-1:0]     data;
    bc_rom #(.WIDTH(WIDTH), .DEPTH(DEPTH), .ADDR_BITS(ADDR_BITS), .BLOCK(BLOCK), .FILE("tb_rom.mem"))
        dut (.clk(clk), .addr(addr), .data(data));

    reg [WIDTH-1:0] ref_rom [0:DEPTH-1];
    initial $readmemh("tb_rom.mem", ref_rom);

    integer cycle = 0, errors = 0, a, seed = 1;
    reg [ADDR_BITS-1:0] sampled;
    always @(posedge clk) begin
        if (cycle > 0 && data !== ref_rom[sampled]) begin
            errors = errors + 1;
            if (errors <= 5) $display("FAIL: address %0d read %h, expected %h", sampled, data, ref_rom[sampled]);
        end
        sampled = addr;
        // every address once in order, then random ones
        a = cycle < DEPTH ? cycle : {$random(seed)} % DEPTH;
        addr <= a[ADDR_BITS-1:0];
        cycle = cycle + 1;
        if (cycle == DEPTH + 200) begin
            if (errors == 0) $display("PASS");
            else $display("FAIL: %0d errors", errors);
            $finish;
        end
    end
endmodule
`default_nettype wire
