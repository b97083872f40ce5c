// bc_argmax: turns the last layer's C signed scores into a class index on an AXI4-Stream.
// m_axis_tdata = index of the largest score (the lowest index on ties);
// m_axis_tuser = the scores themselves, score i at bits [i*SCORE_BITS +: SCORE_BITS];
// m_axis_tlast = 1: every image is a one-beat packet.
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
    assign in_ready = !m_axis_tvalid || m_axis_tready;
    assign m_axis_tlast = 1'b1;

    reg signed [SCORE_BITS-1:0] best;
    reg [TDATA_BITS-1:0]        best_index;
    integer i;
    always @* begin
        best = $signed(in_data[SCORE_BITS-1:0]);
        best_index = {TDATA_BITS{1'b0}};
        for (i = 1; i < C; i = i + 1)
            if ($signed(in_data[i*SCORE_BITS +: SCORE_BITS]) > best) begin
                best = $signed(in_data[i*SCORE_BITS +: SCORE_BITS]);
                best_index = i[TDATA_BITS-1:0];
            end
    end

    always @(posedge clk) begin
        if (!rst_n) begin
            m_axis_tvalid <= 1'b0;
        end else if (in_valid && in_ready) begin
            m_axis_tvalid <= 1'b1;
            m_axis_tdata  <= best_index;
            m_axis_tuser  <= in_data;
        end else if (m_axis_tready) begin
            m_axis_tvalid <= 1'b0;
        end
    end
endmodule
`default_nettype wire
