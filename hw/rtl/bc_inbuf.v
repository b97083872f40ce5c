// bc_inbuf: the input buffer of a bc_dense layer. It takes an MW-value input vector and hands the
// layer one fold of SIMD values per step, registered (one clock of latency, like bc_rom): the fold
// asked for at one edge is on x_q after it.
//
// RAM_IN = 0 takes the whole vector in one handshake and keeps a register copy that rotates by
// one fold per step, so the fold of the current step is always at the bottom (steps run the folds
// in order, sf = 0 .. SF-1, once per neuron fold, and a full rotation brings fold 0 back).
// RAM_IN = 1 takes the vector as SF words of SIMD values (fold sf in word sf) into a two-bank RAM:
// one bank is written while the other is read, so the next vector streams in during the
// computation, and a deep buffer maps to block RAM instead of flip-flops.
//
// Handshake with the layer's control: `start` says a whole vector is here and the layer is `free`
// (it starts in that cycle); from the next cycle on the control issues steps (`issuing`, fold
// `sf`) and raises `read_done` with the last step of the vector, after which the buffer may take
// the next one (RAM_IN = 1: a bank is released; RAM_IN = 0: the layer is free again only when
// its result is stored, so `read_done` is not needed).
`default_nettype none
module bc_inbuf #(
    parameter integer MW      = 784,  // values per input vector
    parameter integer SIMD    = 16,   // values per fold; must divide MW
    parameter integer IN_BITS = 8,    // bits per value
    parameter integer RAM_IN  = 0     // 1: SF words of SIMD values into a two-bank RAM
) (
    input  wire                   clk,
    input  wire                   rst_n,
    input  wire                   in_valid,
    output wire                   in_ready,
    input  wire [(RAM_IN != 0 ? SIMD : MW)*IN_BITS-1:0] in_data,  // value k at [k*IN_BITS +: IN_BITS]
    input  wire                   free,       // the layer can start a vector in this cycle
    output wire                   start,      // a vector starts in this cycle
    input  wire                   issuing,    // a step is issued in this cycle
    input  wire [(MW/SIMD > 1 ? $clog2(MW/SIMD) : 1)-1:0] sf,  // the step's fold
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire                   read_done,  // the vector's last fold is read at this edge (RAM_IN = 1 only)
    /* verilator lint_on UNUSEDSIGNAL */
    output reg  [SIMD*IN_BITS-1:0] x_q        // the fold of the step issued at the previous edge
);
    localparam integer SF = MW / SIMD;
    localparam integer SF_BITS = SF > 1 ? $clog2(SF) : 1;
    localparam integer XW = SIMD * IN_BITS;  // bits of one fold

    // Parameter checks: a bad value fails elaboration with the name of the missing module.
    generate
        if (SIMD < 1 || MW < SIMD) begin : g_check_simd
            PARAMETER_CHECK_bc_inbuf_SIMD_not_in_1_to_MW u_check ();
        end else if (MW % SIMD != 0) begin : g_check_fold
            PARAMETER_CHECK_bc_inbuf_MW_not_divisible_by_SIMD u_check ();
        end
        if (IN_BITS < 1) begin : g_check_bits
            PARAMETER_CHECK_bc_inbuf_IN_BITS_below_1 u_check ();
        end
    endgenerate

    generate
        if (RAM_IN == 0) begin : g_xbuf
            reg [MW*IN_BITS-1:0] xbuf;  // the current fold is at the bottom
            assign in_ready = free;
            assign start = in_valid && free;
            always @(posedge clk) x_q <= xbuf[XW-1:0];
            if (SF == 1) begin : g_whole
                always @(posedge clk) if (start) xbuf <= in_data;
                wire unused_issuing = &{1'b0, issuing};  // one fold: nothing to rotate
            end else begin : g_rotate
                always @(posedge clk)
                    if (start) xbuf <= in_data;
                    else if (issuing) xbuf <= {xbuf[XW-1:0], xbuf[MW*IN_BITS-1:XW]};
            end
            wire unused_ram_ports = &{1'b0, rst_n, sf, read_done};
        end else begin : g_xram
            // bank b holds words b*2^SF_BITS + sf; full[b]: a whole vector not yet read
            (* ram_style = "block" *) reg [XW-1:0] xram [0:2*(1 << SF_BITS)-1];
            reg [SF_BITS-1:0] wsf;
            reg               wbank, rbank;
            reg [1:0]         full;
            wire write = in_valid && in_ready;
            wire write_last = write && wsf == SF[SF_BITS-1:0] - 1'b1;
            assign in_ready = !full[wbank];
            // with the last read of one bank (a streaming layer starts its next vector then) the other bank is next
            assign start = (read_done ? full[!rbank] : full[rbank]) && free;
            always @(posedge clk) x_q <= xram[{rbank, sf}];
            always @(posedge clk) if (write) xram[{wbank, wsf}] <= in_data;
            always @(posedge clk) begin
                if (!rst_n) begin
                    wsf   <= {SF_BITS{1'b0}};
                    wbank <= 1'b0;
                    rbank <= 1'b0;
                    full  <= 2'b00;
                end else begin
                    if (write) wsf <= write_last ? {SF_BITS{1'b0}} : wsf + 1'b1;
                    if (write_last) wbank <= !wbank;
                    if (read_done) rbank <= !rbank;
                    // the writer never writes the bank being read, so the two never touch one bit
                    full <= (full | ({1'b0, write_last} << wbank)) & ~({1'b0, read_done} << rbank);
                end
            end
            wire unused_issuing = &{1'b0, issuing};
        end
    endgenerate
endmodule
`default_nettype wire
