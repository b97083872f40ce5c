// bc_rom: a read-only memory of DEPTH words of WIDTH bits from a $readmemh file, read with one
// clock of latency (the output register that block RAMs need). BLOCK = 1 asks synthesis for
// block RAM, 0 for logic: the generator chooses, so that a small or badly shaped ROM does not
// take whole blocks it would mostly leave empty.
//
// FILE defaults to "" (no contents): a tool that elaborates every module with its default
// parameters (plain `read_verilog` in Yosys) must not go looking for a file that is not there.
// The generated top always names the file.
`default_nettype none
module bc_rom #(
    parameter integer WIDTH     = 16,
    parameter integer DEPTH     = 256,
    parameter integer ADDR_BITS = 8,   // >= log2(DEPTH), at least 1
    parameter integer BLOCK     = 1,   // 1: block RAM, 0: logic
    parameter         FILE      = ""   // $readmemh file, one word per line; "" leaves the ROM empty
) (
    input  wire                 clk,
    input  wire [ADDR_BITS-1:0] addr,  // read address, sampled at the clock edge
    output reg  [WIDTH-1:0]     data   // word at the address of the previous edge
);
    // Parameter checks: a bad value fails elaboration with the name of the missing module.
    generate
        if (WIDTH < 1) begin : g_check_width
            PARAMETER_CHECK_bc_rom_WIDTH_below_1 u_check ();
        end
        if (DEPTH < 1) begin : g_check_depth
            PARAMETER_CHECK_bc_rom_DEPTH_below_1 u_check ();
        end
        if (ADDR_BITS < 1 || ADDR_BITS < 31 && (1 << ADDR_BITS) < DEPTH) begin : g_check_addr
            PARAMETER_CHECK_bc_rom_ADDR_BITS_cannot_address_DEPTH u_check ();
        end
    endgenerate

    // With FILE = "" nothing writes the array (only a default-parameter elaboration does that).
    /* verilator lint_off UNDRIVEN */
    generate
        if (BLOCK != 0) begin : g_block
            (* rom_style = "block", ram_style = "block" *) reg [WIDTH-1:0] rom [0:DEPTH-1];
            if (FILE != "") begin : g_file
                initial $readmemh(FILE, rom);
            end
            always @(posedge clk) data <= rom[addr];
        end else begin : g_logic
            (* rom_style = "logic", ram_style = "logic" *) reg [WIDTH-1:0] rom [0:DEPTH-1];
            if (FILE != "") begin : g_file
                initial $readmemh(FILE, rom);
            end
            always @(posedge clk) data <= rom[addr];
        end
    endgenerate
    /* verilator lint_on UNDRIVEN */
endmodule
`default_nettype wire
