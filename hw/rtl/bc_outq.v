// bc_outq: the queue of finished vectors of a streaming layer (bc_dense STREAM = 1), DEPTH entries
// of WIDTH bits. The layer's results come out of a fixed-length pipeline that cannot wait, so the
// layer starts a vector only when the queue will have room for its result: pushing into a full
// queue is the layer's error and is not checked here. The head is offered from the cycle after
// its push.
`default_nettype none
module bc_outq #(
    parameter integer WIDTH = 32,
    parameter integer DEPTH = 2
) (
    input  wire             clk,
    input  wire             rst_n,     // synchronous, active low
    input  wire             push,
    input  wire [WIDTH-1:0] push_data,
    output wire             out_valid,
    input  wire             out_ready,
    output wire [WIDTH-1:0] out_data
);
    localparam integer A_BITS = DEPTH > 1 ? $clog2(DEPTH) : 1;
    localparam integer N_BITS = $clog2(DEPTH + 1);
    // Parameter checks: a bad value fails elaboration with the name of the missing module.
    generate
        if (WIDTH < 1 || DEPTH < 1) begin : g_check_sizes
            PARAMETER_CHECK_bc_outq_WIDTH_or_DEPTH_below_1 u_check ();
        end
    endgenerate

    reg [WIDTH-1:0]  entries [0:DEPTH-1];
    reg [A_BITS-1:0] wr, rd;
    reg [N_BITS-1:0] count;
    wire pop = out_valid && out_ready;
    assign out_valid = count != {N_BITS{1'b0}};
    assign out_data = entries[rd];

    always @(posedge clk) if (push) entries[wr] <= push_data;
    always @(posedge clk) begin
        if (!rst_n) begin
            wr    <= {A_BITS{1'b0}};
            rd    <= {A_BITS{1'b0}};
            count <= {N_BITS{1'b0}};
        end else begin
            if (push) wr <= wr == DEPTH[A_BITS-1:0] - 1'b1 ? {A_BITS{1'b0}} : wr + 1'b1;
            if (pop) rd <= rd == DEPTH[A_BITS-1:0] - 1'b1 ? {A_BITS{1'b0}} : rd + 1'b1;
            if (push && !pop) count <= count + 1'b1;
            else if (pop && !push) count <= count - 1'b1;
        end
    end
endmodule
`default_nettype wire
