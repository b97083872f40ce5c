// bc_addtree: the dot product of one PE lane, sum_k (plus[k] ? x[k] : -x[k]), without a
// multiplier: each weight bit selects +x or -x, and a balanced binary adder tree with a register
// after every level adds the N terms, so that the clock never sees a chain of adders.
// Latency: LEVELS = ceil(log2(N)) cycles (0 for N = 1: combinational); a new set of inputs can
// enter every cycle. Sums wrap at W bits; W must hold N * (2^IN_BITS - 1) as a signed number.
`default_nettype none
module bc_addtree #(
    parameter integer N       = 4,   // terms
    parameter integer IN_BITS = 8,   // unsigned input width
    parameter integer W       = 16   // signed width of the terms and the sum
) (
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire             clk,     // no registers when N = 1
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [N-1:0]         plus,    // weight bits: 1 = +1, 0 = -1
    input  wire [N*IN_BITS-1:0] x,       // input k at [k*IN_BITS +: IN_BITS]
    output wire [W-1:0]         sum
);
    localparam integer LEVELS = N > 1 ? $clog2(N) : 0;
    localparam integer P = 1 << LEVELS;  // leaves, N rounded up to a power of two (padding adds zero)

    // Parameter checks: a bad value fails elaboration with the name of the missing module.
    generate
        if (N < 1 || IN_BITS < 1) begin : g_check_sizes
            PARAMETER_CHECK_bc_addtree_N_or_IN_BITS_below_1 u_check ();
        end
        // a signed term needs more bits than an unsigned input (sums wrap at W: see above)
        if (W <= IN_BITS) begin : g_check_width
            PARAMETER_CHECK_bc_addtree_W_not_above_IN_BITS u_check ();
        end
    endgenerate

    reg [W-1:0] leaf [0:P-1];
    reg [W-1:0] x_ext;
    integer k;
    always @* begin
        for (k = 0; k < P; k = k + 1) begin
            if (k < N) begin
                x_ext = {{(W-IN_BITS){1'b0}}, x[k*IN_BITS +: IN_BITS]};
                leaf[k] = plus[k] ? x_ext : -x_ext;
            end else begin
                x_ext = {W{1'b0}};
                leaf[k] = {W{1'b0}};
            end
        end
    end

    generate
        if (LEVELS == 0) begin : g_direct
            assign sum = leaf[0];
        end else begin : g_tree
            // node[l][j] is the sum of leaves j*2^l .. (j+1)*2^l - 1, registered at level l
            reg [W-1:0] node [1:LEVELS][0:P/2-1];
            genvar l, j;
            for (j = 0; j < P / 2; j = j + 1) begin : g_first
                always @(posedge clk) node[1][j] <= leaf[2*j] + leaf[2*j+1];
            end
            for (l = 2; l <= LEVELS; l = l + 1) begin : g_level
                for (j = 0; j < (P >> l); j = j + 1) begin : g_node
                    always @(posedge clk) node[l][j] <= node[l-1][2*j] + node[l-1][2*j+1];
                end
            end
            assign sum = node[LEVELS][0];
        end
    endgenerate
endmodule
`default_nettype wire
