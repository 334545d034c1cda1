//===- onednn_lstm.cpp - oneDNN's LSTM, the CPU peer of the benchmarks ----===//
//
// Runs oneDNN's LSTM primitives (libdnnl-dev) on the inputs a benchmark
// wrote as .npy files in seqc's layouts, times them, and writes their
// results back as .npy files for the benchmark to compare with seqc's:
//
//   seqc-bench-onednn-lstm DIR REPEATS
//   seqc-bench-onednn-lstm DIR REPEATS forward lstm|gru [f32|bf16]
//
// DIR holds x [B, T, I], w [I, 4H], r [1, H, 4H], b [4H] (oneDNN has one
// bias: the benchmark passes bias + recurrent_bias), h0, c0 [B, H] and the
// cotangents dy [B, T, H], dh [B, H], dc [B, H]. Gates are in PyTorch's and
// seqc's order (i, f, g, o), which is oneDNN's. Written: y.npy, and the
// gradients dx, dw, dr, db, dh0, dc0 in the same layouts. Printed: one line
// "onednn VERSION forward_inference MS forward_training MS backward MS",
// medians of REPEATS runs after a warm-up.
//
// With `forward lstm|gru`: the inference forward only (benchmarks/
// cpu_peers.py). DIR holds x, w, r, b, h0 (and c0 for the LSTM) in
// oneDNN's gate order, which for the GRU (linear-before-reset, PyTorch's)
// is (u, r, o) = PyTorch's (z, r, n), with a bias of 4 gates, the 4th the
// candidate's recurrent bias. Written: y.npy; printed: "onednn VERSION
// forward_inference f32|bf16 MS". bf16 is oneDNN's mixed precision: bf16
// input, output, hidden state and weights; f32 bias, cell state and
// accumulation.
//
//===----------------------------------------------------------------------===//
#include <oneapi/dnnl/dnnl.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <unordered_map>
#include <string>
#include <vector>

using namespace dnnl;

namespace {

struct Array {
  std::vector<int64_t> shape;
  std::vector<float> data;
};

/// A little-endian f32 C-order .npy file (what numpy.save writes).
Array readNpy(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error("cannot open " + path);
  char magic[8];
  in.read(magic, 8);
  if (std::memcmp(magic, "\x93NUMPY", 6) != 0)
    throw std::runtime_error(path + " is not a .npy file");
  uint32_t headerLength = 0;
  if (magic[6] == 1) {
    uint16_t length;
    in.read(reinterpret_cast<char *>(&length), 2);
    headerLength = length;
  } else {
    in.read(reinterpret_cast<char *>(&headerLength), 4);
  }
  std::string header(headerLength, ' ');
  in.read(header.data(), headerLength);
  if (header.find("'descr': '<f4'") == std::string::npos ||
      header.find("'fortran_order': False") == std::string::npos)
    throw std::runtime_error(path + ": expected little-endian f32, C order");
  size_t open = header.find('(', header.find("'shape'"));
  size_t close = header.find(')', open);
  std::stringstream dims(header.substr(open + 1, close - open - 1));
  Array array;
  std::string item;
  int64_t count = 1;
  while (std::getline(dims, item, ','))
    if (item.find_first_not_of(' ') != std::string::npos) {
      array.shape.push_back(std::stoll(item));
      count *= array.shape.back();
    }
  array.data.resize(count);
  in.read(reinterpret_cast<char *>(array.data.data()), count * 4);
  if (!in)
    throw std::runtime_error(path + ": truncated");
  return array;
}

void writeNpy(const std::string &path, const std::vector<int64_t> &shape,
              const float *data) {
  std::string dims;
  int64_t count = 1;
  for (int64_t d : shape) {
    dims += std::to_string(d) + ", ";
    count *= d;
  }
  if (shape.size() > 1)
    dims.resize(dims.size() - 2);
  else
    dims.resize(dims.size() - 1);
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" +
                       dims + "), }";
  header.append(64 - (10 + header.size() + 1) % 64, ' ');
  header += '\n';
  std::ofstream out(path, std::ios::binary);
  out.write("\x93NUMPY\x01\x00", 8);
  uint16_t length = header.size();
  out.write(reinterpret_cast<const char *>(&length), 2);
  out << header;
  out.write(reinterpret_cast<const char *>(data), count * 4);
}

double medianMs(int repeats, const std::function<void()> &before,
                const std::function<void()> &run) {
  std::vector<double> times;
  for (int i = 0; i <= repeats; ++i) {
    before();
    auto start = std::chrono::steady_clock::now();
    run();
    double ms = std::chrono::duration<double, std::milli>(
                    std::chrono::steady_clock::now() - start)
                    .count();
    if (i > 0)
      times.push_back(ms);
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

/// The inference forward of an LSTM or a linear-before-reset GRU; with
/// `bf16`, oneDNN's mixed-precision configuration: bf16 input, output,
/// hidden state and weights, f32 bias and cell state (every operand
/// reordered from the f32 files before the timed runs).
void forwardOnly(const std::string &dir, int repeats, bool gru, bool bf16) {
  auto load = [&](const char *name) {
    return readNpy(dir + "/" + name + ".npy");
  };
  Array x = load("x"), w = load("w"), r = load("r"), b = load("b"),
        h0 = load("h0");
  Array c0 = gru ? Array() : load("c0");
  int64_t B = x.shape[0], T = x.shape[1], I = x.shape[2], H = h0.shape[1];
  int64_t G = gru ? 3 : 4;
  engine eng(engine::kind::cpu, 0);
  stream s(eng);
  using tag = memory::format_tag;
  using dt = memory::data_type;
  dt narrow = bf16 ? dt::bf16 : dt::f32;
  auto md = [](memory::dims dims, tag t, dt type = dt::f32) {
    return memory::desc(dims, type, t);
  };
  memory::desc layerIn = md({T, B, I}, tag::ntc, narrow),
               layerOut = md({T, B, H}, tag::ntc, narrow),
               state = md({1, 1, B, H}, tag::ldnc, narrow),
               cellState = md({1, 1, B, H}, tag::ldnc),
               weightsLayer = md({1, 1, I, G, H}, tag::ldigo),
               weightsIter = md({1, 1, H, G, H}, tag::ldigo),
               bias = md({1, 1, 4, H}, tag::ldgo),
               anyLayer = md({1, 1, I, G, H}, tag::any, narrow),
               anyIter = md({1, 1, H, G, H}, tag::any, narrow);
  auto reordered = [&](memory &from, const memory::desc &to) {
    memory m(to, eng);
    reorder(from, m).execute(s, from, m);
    s.wait();
    return m;
  };
  // An f32 file's data in the layout (and element type) of `d`.
  auto user = [&](const memory::desc &d, float *data) {
    memory::desc f32 = memory::desc(d.dims(), dt::f32,
                                    d.dims().size() == 3 ? tag::ntc
                                                         : tag::ldnc);
    if (d.data_type() == dt::f32)
      return memory(d, eng, data);
    memory wide(f32, eng, data);
    return reordered(wide, d);
  };
  memory xm = user(layerIn, x.data.data()), h0m = user(state, h0.data.data()),
         wm(weightsLayer, eng, w.data.data()),
         rm(weightsIter, eng, r.data.data()), bm(bias, eng, b.data.data());
  std::vector<float> y(T * B * H), hT(B * H), cT(B * H);
  memory ym(layerOut, eng), hTm(state, eng);
  std::unordered_map<int, memory> args = {
      {DNNL_ARG_SRC_LAYER, xm}, {DNNL_ARG_SRC_ITER, h0m},
      {DNNL_ARG_BIAS, bm},      {DNNL_ARG_DST_LAYER, ym},
      {DNNL_ARG_DST_ITER, hTm}};
  primitive forward;
  auto direction = rnn_direction::unidirectional_left2right;
  if (gru) {
    auto pd = lbr_gru_forward::primitive_desc(
        lbr_gru_forward::desc(prop_kind::forward_inference, direction,
                              layerIn, state, anyLayer, anyIter, bias,
                              layerOut, state),
        eng);
    args[DNNL_ARG_WEIGHTS_LAYER] = reordered(wm, pd.weights_layer_desc());
    args[DNNL_ARG_WEIGHTS_ITER] = reordered(rm, pd.weights_iter_desc());
    forward = lbr_gru_forward(pd);
  } else {
    auto pd = lstm_forward::primitive_desc(
        lstm_forward::desc(prop_kind::forward_inference, direction, layerIn,
                           state, cellState, anyLayer, anyIter, bias, layerOut,
                           state, cellState),
        eng);
    args[DNNL_ARG_WEIGHTS_LAYER] = reordered(wm, pd.weights_layer_desc());
    args[DNNL_ARG_WEIGHTS_ITER] = reordered(rm, pd.weights_iter_desc());
    args[DNNL_ARG_SRC_ITER_C] = memory(cellState, eng, c0.data.data());
    args[DNNL_ARG_DST_ITER_C] = memory(cellState, eng, cT.data());
    forward = lstm_forward(pd);
  }
  double ms = medianMs(repeats, [] {}, [&] {
    forward.execute(s, args);
    s.wait();
  });
  memory yWide(md({T, B, H}, tag::ntc), eng, y.data());
  reorder(ym, yWide).execute(s, ym, yWide);
  s.wait();
  writeNpy(dir + "/y.npy", {B, T, H}, y.data());
  const dnnl_version_t *version = dnnl_version();
  std::printf("onednn %d.%d.%d forward_inference %s %.3f\n", version->major,
              version->minor, version->patch, bf16 ? "bf16" : "f32", ms);
}

} // namespace

int main(int argc, char **argv) {
  bool forwardMode = (argc == 5 || argc == 6) &&
                     std::string(argv[3]) == "forward" &&
                     (std::string(argv[4]) == "lstm" ||
                      std::string(argv[4]) == "gru") &&
                     (argc == 5 || std::string(argv[5]) == "bf16" ||
                      std::string(argv[5]) == "f32");
  if (argc != 3 && !forwardMode) {
    std::fprintf(stderr,
                 "usage: %s DIR REPEATS [forward lstm|gru [f32|bf16]]\n",
                 argv[0]);
    return 2;
  }
  if (forwardMode) {
    try {
      forwardOnly(argv[1], std::max(1, std::atoi(argv[2])),
                  std::string(argv[4]) == "gru",
                  argc == 6 && std::string(argv[5]) == "bf16");
    } catch (const std::exception &e) {
      std::fprintf(stderr, "seqc-bench-onednn-lstm: %s\n", e.what());
      return 1;
    }
    return 0;
  }
  try {
    std::string dir = argv[1];
    int repeats = std::max(1, std::atoi(argv[2]));
    auto load = [&](const char *name) { return readNpy(dir + "/" + name + ".npy"); };
    Array x = load("x"), w = load("w"), r = load("r"), b = load("b"),
          h0 = load("h0"), c0 = load("c0"), dy = load("dy"), dh = load("dh"),
          dc = load("dc");
    int64_t B = x.shape[0], T = x.shape[1], I = x.shape[2], H = h0.shape[1];

    engine eng(engine::kind::cpu, 0);
    stream s(eng);
    using tag = memory::format_tag;
    using dt = memory::data_type;
    auto md = [](memory::dims dims, tag t) {
      return memory::desc(dims, dt::f32, t);
    };
    memory::desc layerIn = md({T, B, I}, tag::ntc),
                 layerOut = md({T, B, H}, tag::ntc),
                 state = md({1, 1, B, H}, tag::ldnc),
                 weightsLayer = md({1, 1, I, 4, H}, tag::ldigo),
                 weightsIter = md({1, 1, H, 4, H}, tag::ldigo),
                 bias = md({1, 1, 4, H}, tag::ldgo);
    memory::desc anyLayer = md({1, 1, I, 4, H}, tag::any),
                 anyIter = md({1, 1, H, 4, H}, tag::any);
    auto user = [&](const memory::desc &d, float *data) {
      return memory(d, eng, data);
    };
    memory xm = user(layerIn, x.data.data()), h0m = user(state, h0.data.data()),
           c0m = user(state, c0.data.data()), wm = user(weightsLayer, w.data.data()),
           rm = user(weightsIter, r.data.data()), bm = user(bias, b.data.data());
    std::vector<float> y(T * B * H), hT(B * H), cT(B * H);
    memory ym = user(layerOut, y.data()), hTm = user(state, hT.data()),
           cTm = user(state, cT.data());

    auto forwardDesc = [&](prop_kind kind) {
      return lstm_forward::desc(kind, rnn_direction::unidirectional_left2right,
                                layerIn, state, state, anyLayer, anyIter, bias,
                                layerOut, state, state);
    };
    auto inference = lstm_forward::primitive_desc(
        forwardDesc(prop_kind::forward_inference), eng);
    auto training = lstm_forward::primitive_desc(
        forwardDesc(prop_kind::forward_training), eng);
    auto reordered = [&](memory &from, const memory::desc &to) {
      memory m(to, eng);
      reorder(from, m).execute(s, from, m);
      s.wait();
      return m;
    };
    memory wInf = reordered(wm, inference.weights_layer_desc()),
           rInf = reordered(rm, inference.weights_iter_desc()),
           wTrain = reordered(wm, training.weights_layer_desc()),
           rTrain = reordered(rm, training.weights_iter_desc());
    memory workspace(training.workspace_desc(), eng);
    lstm_forward inferencePrimitive(inference), trainingPrimitive(training);
    auto forwardArgs = [&](memory &weights, memory &iter) {
      return std::unordered_map<int, memory>{
          {DNNL_ARG_SRC_LAYER, xm},      {DNNL_ARG_SRC_ITER, h0m},
          {DNNL_ARG_SRC_ITER_C, c0m},    {DNNL_ARG_WEIGHTS_LAYER, weights},
          {DNNL_ARG_WEIGHTS_ITER, iter}, {DNNL_ARG_BIAS, bm},
          {DNNL_ARG_DST_LAYER, ym},      {DNNL_ARG_DST_ITER, hTm},
          {DNNL_ARG_DST_ITER_C, cTm}};
    };
    auto inferenceArgs = forwardArgs(wInf, rInf);
    auto trainingArgs = forwardArgs(wTrain, rTrain);
    trainingArgs[DNNL_ARG_WORKSPACE] = workspace;
    auto nothing = [] {};
    double inferenceMs = medianMs(repeats, nothing, [&] {
      inferencePrimitive.execute(s, inferenceArgs);
      s.wait();
    });
    double trainingMs = medianMs(repeats, nothing, [&] {
      trainingPrimitive.execute(s, trainingArgs);
      s.wait();
    });

    // The backward, from the training forward's workspace.
    memory::desc anyDiffLayer = md({1, 1, I, 4, H}, tag::any),
                 anyDiffIter = md({1, 1, H, 4, H}, tag::any);
    lstm_backward::desc backwardDesc(
        prop_kind::backward, rnn_direction::unidirectional_left2right, layerIn,
        state, state, anyLayer, anyIter, bias, layerOut, state, state, layerIn,
        state, state, anyDiffLayer, anyDiffIter, bias, layerOut, state, state);
    auto backward = lstm_backward::primitive_desc(backwardDesc, eng, training);
    memory wBack = reordered(wm, backward.weights_layer_desc()),
           rBack = reordered(rm, backward.weights_iter_desc());
    std::vector<float> dx(B * T * I), dh0(B * H), dc0(B * H), db(4 * H);
    memory dxm = user(layerIn, dx.data()), dh0m = user(state, dh0.data()),
           dc0m = user(state, dc0.data()), dbm = user(bias, db.data()),
           dym = user(layerOut, dy.data.data()), dhm = user(state, dh.data.data()),
           dcm = user(state, dc.data.data());
    memory dwBack(backward.diff_weights_layer_desc(), eng),
        drBack(backward.diff_weights_iter_desc(), eng);
    lstm_backward backwardPrimitive(backward);
    std::unordered_map<int, memory> backwardArgs = {
        {DNNL_ARG_SRC_LAYER, xm},          {DNNL_ARG_SRC_ITER, h0m},
        {DNNL_ARG_SRC_ITER_C, c0m},        {DNNL_ARG_WEIGHTS_LAYER, wBack},
        {DNNL_ARG_WEIGHTS_ITER, rBack},    {DNNL_ARG_BIAS, bm},
        {DNNL_ARG_DST_LAYER, ym},          {DNNL_ARG_DST_ITER, hTm},
        {DNNL_ARG_DST_ITER_C, cTm},        {DNNL_ARG_WORKSPACE, workspace},
        {DNNL_ARG_DIFF_SRC_LAYER, dxm},    {DNNL_ARG_DIFF_SRC_ITER, dh0m},
        {DNNL_ARG_DIFF_SRC_ITER_C, dc0m},  {DNNL_ARG_DIFF_WEIGHTS_LAYER, dwBack},
        {DNNL_ARG_DIFF_WEIGHTS_ITER, drBack}, {DNNL_ARG_DIFF_BIAS, dbm},
        {DNNL_ARG_DIFF_DST_LAYER, dym},    {DNNL_ARG_DIFF_DST_ITER, dhm},
        {DNNL_ARG_DIFF_DST_ITER_C, dcm}};
    // oneDNN accumulates into the weights' cotangents: zeroed before each
    // run, outside the timed region. The workspace is the training
    // forward's (run last above on the same inputs).
    auto zeroWeights = [&] {
      for (memory *m : {&dwBack, &drBack})
        std::memset(m->get_data_handle(), 0, m->get_desc().get_size());
      std::fill(db.begin(), db.end(), 0.0f);
    };
    double backwardMs = medianMs(repeats, zeroWeights, [&] {
      backwardPrimitive.execute(s, backwardArgs);
      s.wait();
    });

    std::vector<float> dw(I * 4 * H), dr(H * 4 * H);
    memory dwm = user(weightsLayer, dw.data()), drm = user(weightsIter, dr.data());
    reorder(dwBack, dwm).execute(s, dwBack, dwm);
    reorder(drBack, drm).execute(s, drBack, drm);
    s.wait();
    writeNpy(dir + "/y.npy", {B, T, H}, y.data());
    writeNpy(dir + "/dx.npy", {B, T, I}, dx.data());
    writeNpy(dir + "/dw.npy", {I, 4 * H}, dw.data());
    writeNpy(dir + "/dr.npy", {1, H, 4 * H}, dr.data());
    writeNpy(dir + "/db.npy", {4 * H}, db.data());
    writeNpy(dir + "/dh0.npy", {B, H}, dh0.data());
    writeNpy(dir + "/dc0.npy", {B, H}, dc0.data());
    const dnnl_version_t *version = dnnl_version();
    std::printf("onednn %d.%d.%d forward_inference %.3f forward_training %.3f "
                "backward %.3f\n",
                version->major, version->minor, version->patch, inferenceMs,
                trainingMs, backwardMs);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "seqc-bench-onednn-lstm: %s\n", e.what());
    return 1;
  }
  return 0;
}
