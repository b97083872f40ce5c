// bc_argmax: turns the last layer's C signed scores into a class index on an AXI4-Stream.
// m_axis_tdata = index of the largest score (the lowest index on ties);
// m_axis_tuser = the scores themselves, score i at bits [i*SCORE_BITS +: SCORE_BITS];
// m_axis_tlast = 1: every image is a one-beat packet.
//
// The comparison is a balanced tree with a register after every level, so the clock never sees
// more than one comparator: with the scores accepted in cycle 0, the class is offered in cycle
// LEVELS + 2 (LEVELS = ceil(log2(C))), and the next scores can be accepted in that cycle.
`default_nettype none
module bc_argmax #(
    parameter integer C          = 10,
    parameter integer SCORE_BITS = 32,
    parameter integer TDATA_BITS = 8   // holds the class index
) (
    input  wire                    clk,
    input  wire                    rst_n,
    input  wire                    in_valid,
    output wire                    in_ready,
    input  wire [C*SCORE_BITS-1:0] in_data,
    output reg  [TDATA_BITS-1:0]   m_axis_tdata,
    output reg  [C*SCORE_BITS-1:0] m_axis_tuser,
    output reg                     m_axis_tvalid,
    input  wire                    m_axis_tready,
    output wire                    m_axis_tlast
);
    localparam integer LEVELS = C > 1 ? $clog2(C) : 0;
    localparam integer P = 1 << LEVELS;          // leaves, C rounded up to a power of two
    localparam integer NW = 1 + TDATA_BITS + SCORE_BITS;  // node: {present, index, score}

    // Parameter checks: a bad value fails elaboration with the name of the missing module.
    generate
        if (C < 1 || SCORE_BITS < 1) begin : g_check_sizes
            PARAMETER_CHECK_bc_argmax_C_or_SCORE_BITS_below_1 u_check ();
        end
        if (TDATA_BITS < 1 || TDATA_BITS < 31 && C - 1 >= (1 << TDATA_BITS)) begin : g_check_tdata
            PARAMETER_CHECK_bc_argmax_TDATA_BITS_cannot_hold_C u_check ();
        end
    endgenerate

    reg busy;
    reg [LEVELS:0] stage;  // stage[k]: level k of the tree holds this image
    assign in_ready = !busy && (!m_axis_tvalid || m_axis_tready);
    assign m_axis_tlast = 1'b1;
    wire accept = in_valid && in_ready;

    always @(posedge clk) if (accept) m_axis_tuser <= in_data;

    // Heap order as in bc_addtree: node i at [i*NW +: NW], leaves P .. 2P-1 read the registered scores.
    /* verilator lint_off UNUSEDSIGNAL */
    wire [2*P*NW-1:NW] node;  // of the root only the index is used
    /* verilator lint_on UNUSEDSIGNAL */
    genvar i;
    generate
        for (i = P; i < 2 * P; i = i + 1) begin : g_leaf
            if (i - P < C) begin : g_score
                localparam integer INDEX = i - P;
                assign node[i*NW +: NW] = {1'b1, INDEX[TDATA_BITS-1:0], m_axis_tuser[(i-P)*SCORE_BITS +: SCORE_BITS]};
            end else begin : g_pad
                assign node[i*NW +: NW] = {NW{1'b0}};
            end
        end
        for (i = 1; i < P; i = i + 1) begin : g_cmp
            wire [NW-1:0] l = node[2*i*NW +: NW];
            wire [NW-1:0] r = node[(2*i+1)*NW +: NW];
            // the right child wins only when strictly larger: ties go to the lower index
            wire right = r[NW-1] && (!l[NW-1] || $signed(r[SCORE_BITS-1:0]) > $signed(l[SCORE_BITS-1:0]));
            reg [NW-1:0] w;
            always @(posedge clk) w <= right ? r : l;
            assign node[i*NW +: NW] = w;
        end
    endgenerate

    generate
        if (LEVELS == 0) begin : g_stage_one
            always @(posedge clk) stage <= rst_n && accept;
        end else begin : g_stage_shift
            always @(posedge clk) stage <= rst_n ? {stage[LEVELS-1:0], accept} : {(LEVELS+1){1'b0}};
        end
    endgenerate

    always @(posedge clk) begin
        if (!rst_n) begin
            busy          <= 1'b0;
            m_axis_tvalid <= 1'b0;
        end else begin
            if (m_axis_tvalid && m_axis_tready) m_axis_tvalid <= 1'b0;
            if (accept) busy <= 1'b1;
            if (stage[LEVELS]) begin
                busy          <= 1'b0;
                m_axis_tvalid <= 1'b1;
                m_axis_tdata  <= node[NW + SCORE_BITS +: TDATA_BITS];
            end
        end
    end
endmodule
`default_nettype wire
