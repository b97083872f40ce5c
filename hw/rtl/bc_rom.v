// bc_rom: a read-only memory of DEPTH words of WIDTH bits from a $readmemh file, read with one
// clock of latency (the output register that block RAMs need). BLOCK = 1 asks synthesis for
// block RAM, 0 for logic: the generator chooses, so that a small or badly shaped ROM does not
// take whole blocks it would mostly leave empty.
`default_nettype none
module bc_rom #(
    parameter integer WIDTH     = 16,
    parameter integer DEPTH     = 256,
    parameter integer ADDR_BITS = 8,   // >= log2(DEPTH), at least 1
    parameter integer BLOCK     = 1,
    parameter         FILE      = "rom.mem"
) (
    input  wire                 clk,
    input  wire [ADDR_BITS-1:0] addr,
    output reg  [WIDTH-1:0]     data
);
    generate
        if (BLOCK != 0) begin : g_block
            (* rom_style = "block", ram_style = "block" *) reg [WIDTH-1:0] rom [0:DEPTH-1];
            initial $readmemh(FILE, rom);
            always @(posedge clk) data <= rom[addr];
        end else begin : g_logic
            (* rom_style = "logic", ram_style = "logic" *) reg [WIDTH-1:0] rom [0:DEPTH-1];
            initial $readmemh(FILE, rom);
            always @(posedge clk) data <= rom[addr];
        end
    endgenerate
endmodule
`default_nettype wire
