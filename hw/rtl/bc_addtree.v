// bc_addtree: sum of N W-bit terms (two's complement, wrapping at W bits) as a balanced binary
// tree with a register after every level, so that the clock does not see a chain of N adders.
// Latency: LEVELS = ceil(log2(N)) cycles (0 for N = 1: the term passes straight through);
// a new set of terms can enter every cycle.
`default_nettype none
module bc_addtree #(
    parameter integer N = 4,   // terms
    parameter integer W = 16   // bits per term and of the sum
) (
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire         clk,    // no registers when N = 1
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [N*W-1:0] terms,
    output wire [W-1:0] sum
);
    localparam integer LEVELS = N > 1 ? $clog2(N) : 0;
    localparam integer P = 1 << LEVELS;  // leaves, N rounded up to a power of two

    // Heap order: node i (1 .. 2P-1) at bits [i*W +: W]; leaves are P .. 2P-1, node i adds 2i and 2i+1.
    wire [2*P*W-1:W] node;
    genvar i;
    generate
        for (i = P; i < 2 * P; i = i + 1) begin : g_leaf
            if (i - P < N) begin : g_term
                assign node[i*W +: W] = terms[(i-P)*W +: W];
            end else begin : g_pad
                assign node[i*W +: W] = {W{1'b0}};
            end
        end
        for (i = 1; i < P; i = i + 1) begin : g_add
            reg [W-1:0] s;
            always @(posedge clk) s <= node[2*i*W +: W] + node[(2*i+1)*W +: W];
            assign node[i*W +: W] = s;
        end
    endgenerate
    assign sum = node[W +: W];
endmodule
`default_nettype wire
