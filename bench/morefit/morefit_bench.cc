// Side-by-side benchmark for bumpscan (bench/morefit.js): MoreFit fit of the extended
// Gaussian (mean, sigma free) + exponential (lambda = -0.3 fixed) model on [0, 10],
// 4 free parameters, analytic gradient + Hessian, HESSE, LLVM JIT CPU backend, 1 thread.
// Usage: morefit_bench EVENTS.f64 REPS nsig0 nbkg0 mean0 sigma0 [vecwidth=8 cpu=x86-64-v4]
// Prints one JSON line (prefixed "RESULT ") with timings, call counts, values and errors.
#include <algorithm>
#include <cassert>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>
#include <CL/cl.h>
#include <eigen3/Eigen/Dense>
// system, LLVM and Clang headers first: the access trick below must only see MoreFit's own headers
#include <filesystem>
#include <regex>
#include <set>
#include <thread>
#include <clang/Basic/DiagnosticOptions.h>
#include <clang/CodeGen/CodeGenAction.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/TextDiagnosticPrinter.h>
#include <clang/Lex/PreprocessorOptions.h>
#include <llvm/Config/llvm-config.h>
#include <llvm/ExecutionEngine/JITSymbol.h>
#include <llvm/ExecutionEngine/Orc/CompileUtils.h>
#include <llvm/ExecutionEngine/Orc/Core.h>
#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/ExecutorProcessControl.h>
#include <llvm/ExecutionEngine/Orc/IRCompileLayer.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/RTDyldObjectLinkingLayer.h>
#include <llvm/ExecutionEngine/Orc/Shared/ExecutorAddress.h>
#include <llvm/ExecutionEngine/SectionMemoryManager.h>
#include <llvm/IR/DataLayout.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/TargetParser/Host.h>
// call counting needs the fitter's Minuit2 objects (private members): test-only access, no MoreFit change
#define private public
#include "morefit.hh"
#undef private

typedef double kernelT;
typedef double evalT;
typedef morefit::LLVMBackend backendT;
typedef morefit::LLVMBlock<kernelT, evalT> blockT;
typedef morefit::fitter<kernelT, evalT, backendT, blockT> fitterT;

static long n_fcn = 0, n_grad = 0, n_hess = 0;
static double t_fcn = 0, t_grad = 0, t_hess = 0;  // ms inside each kind of call, last fit
struct Timer {
  double& acc;
  std::chrono::high_resolution_clock::time_point t0 = std::chrono::high_resolution_clock::now();
  ~Timer() { acc += std::chrono::duration<double, std::milli>(std::chrono::high_resolution_clock::now() - t0).count(); }
};

struct CountingFcn : public morefit::minuit2_grad_fcn<kernelT, evalT, backendT, blockT> {
  typedef morefit::minuit2_grad_fcn<kernelT, evalT, backendT, blockT> Base;
  CountingFcn(fitterT* f) : Base(f) {}
  evalT DoEval(const evalT* x) const override { ++n_fcn; Timer t{t_fcn}; return Base::DoEval(x); }
  void Gradient(const evalT* x, evalT* g) const override { ++n_grad; Timer t{t_grad}; Base::Gradient(x, g); }
  void FdF(const evalT* x, evalT& f, evalT* df) const override { ++n_fcn; ++n_grad; Timer t{t_grad}; Base::FdF(x, f, df); }
};

struct CountingMinuit2 : public ROOT::Minuit2::Minuit2Minimizer {
  CountingMinuit2() : ROOT::Minuit2::Minuit2Minimizer(ROOT::Minuit2::EMinimizerType::kMigrad) {}
  void SetHessianFunction(std::function<bool(const std::vector<double>&, double*)> h) override {
    ROOT::Minuit2::Minuit2Minimizer::SetHessianFunction([h](const std::vector<double>& x, double* out) {
      ++n_hess;
      Timer t{t_hess};
      return h(x, out);
    });
  }
};

int main(int argc, char** argv) {
  if (argc < 7) {
    std::cerr << "usage: morefit_bench EVENTS.f64 REPS nsig0 nbkg0 mean0 sigma0 [vecwidth=8 cpu=x86-64-v4]" << std::endl;
    return 2;
  }
  const std::string path = argv[1];
  const int reps = std::atoi(argv[2]);
  const double start[4] = {std::atof(argv[3]), std::atof(argv[4]), std::atof(argv[5]), std::atof(argv[6])};
  const int vecwidth = argc > 7 ? std::atoi(argv[7]) : 8;  // AVX-512 doubles: 8 (x86-64-v3 with 4 measured ~6% slower here)
  const std::string cpu = argc > 8 ? argv[8] : "x86-64-v4";

  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) { std::cerr << "cannot read " << path << std::endl; return 1; }
  const size_t bytes = in.tellg();
  in.seekg(0);
  std::vector<double> ev(bytes / 8);
  in.read(reinterpret_cast<char*>(ev.data()), bytes);  // little-endian f64 on x86-64

  morefit::compute_options copts;
  copts.llvm_nthreads = 1;
  copts.llvm_print_intermediate = false;
  copts.llvm_vectorization = true;  // SIMD via libmvec
  copts.llvm_vectorization_width = vecwidth;
  copts.llvm_cpu = cpu;
  copts.print_level = 0;
  morefit::LLVMBackend backend(&copts);

  morefit::dimension<evalT> m("m", 0.0, 10.0);
  const double nexp = start[0] + start[1];
  morefit::parameter<evalT> nsig("nsig", start[0], -nexp, 2 * nexp, std::max(1.0, 0.1 * std::sqrt(nexp)), true);
  morefit::parameter<evalT> nbkg("nbkg", start[1], 0.0, 2 * nexp, std::max(1.0, 0.1 * std::sqrt(nexp)), true);
  morefit::parameter<evalT> mean("mean", start[2], 0.0, 10.0, 0.01, true);
  morefit::parameter<evalT> sigma("sigma", start[3], 0.01, 5.0, 0.01, true);
  morefit::parameter<evalT> lambda("lambda", -0.3, -1.0, 0.0, 0.0, true);  // step 0: constant, substituted
  morefit::GaussianPDF<kernelT, evalT> sig(&m, &mean, &sigma);
  morefit::ExponentialPDF<kernelT, evalT> bkg(&m, &lambda);
  morefit::SumPDF<kernelT, evalT> sum(&sig, &bkg, &nsig, &nbkg);  // two yields: extended
  std::vector<morefit::parameter<evalT>*> params({&nsig, &nbkg, &mean, &sigma, &lambda});

  morefit::EventVector<kernelT, evalT> data({&m}, ev.size());
  for (size_t i = 0; i < ev.size(); i++) data(i, 0) = ev[i];

  morefit::fitter_options fopts;  // MoreFit defaults: Minuit2 strategy 2, Kahan sums, parameter buffering
  fopts.analytic_gradient = true;
  fopts.analytic_hessian = true;
  fopts.postrun_hesse = true;
  fopts.minuit_printlevel = 0;
  fopts.print_level = 0;

  fitterT fit(&fopts, &backend);
  delete fit.minuit_two;
  fit.minuit_two = new CountingMinuit2();
  delete fit.minuit_two_grad_fcn;
  fit.minuit_two_grad_fcn = new CountingFcn(&fit);

  std::vector<double> ms;
  double first_ms = 0;
  for (int r = 0; r <= reps; r++) {
    n_fcn = n_grad = n_hess = 0;
    t_fcn = t_grad = t_hess = 0;
    auto t0 = std::chrono::high_resolution_clock::now();
    fit.fit(&sum, params, &data, r > 0);  // r = 0 builds and JIT-compiles the kernels; later fits reuse them
    auto t1 = std::chrono::high_resolution_clock::now();
    double t = std::chrono::duration<double, std::milli>(t1 - t0).count();
    if (r == 0) first_ms = t; else ms.push_back(t);
  }
  std::vector<double> sorted(ms);
  std::sort(sorted.begin(), sorted.end());
  std::ostringstream o;
  o.precision(17);
  o << "RESULT {\"events\":" << ev.size() << ",\"median_ms\":" << sorted[sorted.size() / 2]
    << ",\"first_ms\":" << first_ms << ",\"ms\":[";
  for (size_t i = 0; i < ms.size(); i++) o << (i ? "," : "") << ms[i];
  o << "],\"fcn\":" << n_fcn << ",\"grad\":" << n_grad << ",\"hess\":" << n_hess << ",\"fcn_ms\":" << t_fcn << ",\"grad_ms\":" << t_grad << ",\"hess_ms\":" << t_hess
    << ",\"minuit_nfcn\":" << fit.minuit_two->NCalls() << ",\"status\":" << fit.minuit_two->Status()
    << ",\"covstatus\":" << fit.minuit_two->CovMatrixStatus() << ",\"fmin\":" << fit.minuit_two->MinValue()
    << ",\"edm\":" << fit.minuit_two->Edm() << ",\"names\":[\"nsig\",\"nbkg\",\"mean\",\"sigma\"],\"values\":[";
  for (int i = 0; i < 4; i++) o << (i ? "," : "") << params[i]->get_value();
  o << "],\"errors\":[";
  for (int i = 0; i < 4; i++) o << (i ? "," : "") << params[i]->get_error();
  o << "]}";
  std::cout << o.str() << std::endl;
  return 0;
}
