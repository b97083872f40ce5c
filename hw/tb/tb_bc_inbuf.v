// tb_bc_inbuf: self-checking testbench of bc_inbuf. The testbench plays the layer's control (as
// bc_dense drives it): on `start` it issues NF rounds of the SF folds, one per cycle, then stays
// busy for a random while. Vectors hold random values and arrive with random gaps (a whole vector,
// or SF words with RAM_IN = 1, streaming in while the previous vector is read). Checks each fold
// one clock after it was asked for, and that every vector is started once, in order.
// Prints PASS or FAIL: ... and finishes.
`default_nettype none
module tb_bc_inbuf;
    parameter integer MW      = 12;
    parameter integer SIMD    = 4;
    parameter integer IN_BITS = 8;
    parameter integer RAM_IN  = 0;
    parameter integer NF      = 2;   // neuron folds the control runs per vector
    localparam integer SF = MW / SIMD;
    localparam integer SF_BITS = SF > 1 ? $clog2(SF) : 1;
    localparam integer XW = SIMD * IN_BITS;
    localparam integer INW = (RAM_IN != 0 ? SIMD : MW) * IN_BITS;
    localparam integer VECTORS = 6;

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg                rst_n = 1'b0;
    reg                in_valid = 1'b0;
    wire               in_ready;
    reg  [INW-1:0]     in_data = {INW{1'b0}};
    reg                busy = 1'b0, issuing = 1'b0;
    reg  [SF_BITS-1:0] sf = {SF_BITS{1'b0}};
    integer            nf = 0, wait_cycles = 0;
    wire               start;
    wire [XW-1:0]      x_q;
    wire last_step = issuing && sf == SF - 1 && nf == NF - 1;
    bc_inbuf #(.MW(MW), .SIMD(SIMD), .IN_BITS(IN_BITS), .RAM_IN(RAM_IN)) dut (
        .clk(clk), .rst_n(rst_n), .in_valid(in_valid), .in_ready(in_ready), .in_data(in_data),
        .free(!busy), .start(start), .issuing(issuing), .sf(sf), .read_done(last_step), .x_q(x_q));

    reg [IN_BITS-1:0] values [0:VECTORS*MW-1];
    integer i, k, cycle = 0, errors = 0, sent = 0, words = 0, started = 0, reading = -1, seed = 5;
    reg               asked;        // a fold was asked for at the last edge
    integer           asked_sf;
    initial for (i = 0; i < VECTORS * MW; i = i + 1) values[i] = $random(seed);

    reg [63:0] rnd;
    always @(posedge clk) begin
        if (asked) begin
            for (k = 0; k < SIMD; k = k + 1)
                if (x_q[k*IN_BITS +: IN_BITS] !== values[reading*MW + asked_sf*SIMD + k]) begin
                    errors = errors + 1;
                    if (errors <= 5) $display("FAIL: vector %0d fold %0d value %0d is %0d, expected %0d", reading,
                                              asked_sf, k, x_q[k*IN_BITS +: IN_BITS],
                                              values[reading*MW + asked_sf*SIMD + k]);
                end
        end
        asked = rst_n && issuing;
        asked_sf = sf;
        // the source: whole vectors, or SF words per vector
        if (rst_n && in_valid && in_ready) begin
            if (RAM_IN != 0) begin
                words = words + 1;
                if (words == SF) begin
                    words = 0;
                    sent = sent + 1;
                end
            end else begin
                sent = sent + 1;
            end
        end
        if (!in_valid || in_ready || !rst_n) begin
            rnd = {$random(seed)} % 3;
            in_valid <= cycle > 2 && sent < VECTORS && rnd != 0;
            for (k = 0; k < INW / IN_BITS; k = k + 1)
                in_data[k*IN_BITS +: IN_BITS] <= values[sent*MW + (RAM_IN != 0 ? words*SIMD : 0) + k];
        end
        // the control, as bc_dense runs it
        if (rst_n && start) begin
            if (busy) begin
                errors = errors + 1;
                $display("FAIL: start while busy");
            end
            reading = started;
            started = started + 1;
            busy <= 1'b1;
            issuing <= 1'b1;
            sf <= {SF_BITS{1'b0}};
            nf = 0;
        end else if (issuing) begin
            if (sf == SF - 1) begin
                sf <= {SF_BITS{1'b0}};
                if (nf == NF - 1) begin
                    issuing <= 1'b0;
                    wait_cycles = {$random(seed)} % 4;
                end
                nf = nf + 1;
            end else begin
                sf <= sf + 1'b1;
            end
        end else if (busy) begin
            if (wait_cycles == 0) busy <= 1'b0;
            else wait_cycles = wait_cycles - 1;
        end
        rst_n <= cycle >= 2;
        cycle = cycle + 1;
        if (started == VECTORS && !busy || cycle == 100 * VECTORS * (MW + NF * SF)) begin
            if (started != VECTORS) $display("FAIL: %0d of %0d vectors started after %0d cycles", started, VECTORS, cycle);
            else if (errors == 0) $display("PASS");
            else $display("FAIL: %0d errors", errors);
            $finish;
        end
    end
endmodule
`default_nettype wire
