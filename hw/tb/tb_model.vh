// Reference arithmetic shared by tb_bc_requant and tb_bc_dense (included into a module that has
// the bc_requant parameters), written as plain 64-bit integer arithmetic rather than as the RTL's
// bit slices. Needs ACC_BITS + MUL_BITS < 62 and SUM_BITS wide enough that the RTL does not wrap.

// the multiply-add batch norm of one neuron: (acc * mul + add) >>> SHIFT, clamped unless SCORES
function [OUT_BITS-1:0] model_muladd(input signed [63:0] acc, input signed [63:0] mul, input signed [63:0] add);
    reg signed [63:0] s;
    begin
        s = (acc * mul + add) >>> SHIFT;
        if (SCORES != 0) model_muladd = s[OUT_BITS-1:0];
        else if (s < 0) model_muladd = {OUT_BITS{1'b0}};
        else if (s > (64'sd1 <<< OUT_BITS) - 1) model_muladd = {OUT_BITS{1'b1}};
        else model_muladd = s[OUT_BITS-1:0];
    end
endfunction

// the threshold batch norm of one neuron: how many t_j the (possibly negated) acc reaches
function [OUT_BITS-1:0] model_thresholds(input signed [63:0] acc, input [(1 + ((1 << OUT_BITS) - 1) * TH_BITS)-1:0] lane);
    reg signed [63:0] a, t;
    integer j, count;
    begin
        a = lane[0] ? -acc : acc;
        count = 0;
        for (j = 0; j < (1 << OUT_BITS) - 1; j = j + 1) begin
            t = $signed(lane[1 + j*TH_BITS +: TH_BITS]);
            if (a >= t) count = count + 1;
        end
        model_thresholds = count[OUT_BITS-1:0];
    end
endfunction
