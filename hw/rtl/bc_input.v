// bc_input: collects one input vector of N unsigned BITS-bit values from an AXI4-Stream,
// PIX values per beat, value 0 in the lowest bits of the first beat.
// The whole vector is then offered downstream on a valid/ready handshake.
// Throughput: one vector every N/PIX cycles while downstream keeps up.
`default_nettype none
module bc_input #(
    parameter integer N    = 784,  // values per vector
    parameter integer BITS = 8,    // bits per value
    parameter integer PIX  = 1     // values per beat; must divide N
) (
    input  wire                  clk,
    input  wire                  rst_n,
    input  wire [PIX*BITS-1:0]   s_axis_tdata,
    input  wire                  s_axis_tvalid,
    output wire                  s_axis_tready,
    output reg                   out_valid,
    input  wire                  out_ready,
    output reg  [N*BITS-1:0]     out_data
);
    localparam integer BEATS = N / PIX;
    localparam integer CNT_BITS = BEATS > 1 ? $clog2(BEATS) : 1;

    reg [CNT_BITS-1:0] beat;
    wire in_fire = s_axis_tvalid && s_axis_tready;

    // A new vector may start filling in the cycle the previous one is handed over: the consumer
    // samples out_data at that same clock edge.
    assign s_axis_tready = !out_valid || out_ready;

    always @(posedge clk) begin
        if (!rst_n) begin
            beat      <= {CNT_BITS{1'b0}};
            out_valid <= 1'b0;
        end else begin
            if (out_valid && out_ready) out_valid <= 1'b0;
            if (in_fire) begin
                if (beat == BEATS[CNT_BITS-1:0] - 1'b1) begin
                    beat      <= {CNT_BITS{1'b0}};
                    out_valid <= 1'b1;
                end else begin
                    beat <= beat + 1'b1;
                end
            end
        end
    end

    // Beats shift in from the top, so after BEATS of them the first beat sits at the bottom.
    generate
        if (BEATS == 1) begin : g_one_beat
            always @(posedge clk) if (in_fire) out_data <= s_axis_tdata;
        end else begin : g_shift
            always @(posedge clk)
                if (in_fire) out_data <= {s_axis_tdata, out_data[N*BITS-1:PIX*BITS]};
        end
    endgenerate
endmodule
`default_nettype wire
