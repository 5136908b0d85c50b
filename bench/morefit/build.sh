#!/bin/sh
# Builds morefit_bench (our bench program, not MoreFit code) to $OUT (default /tmp/morefit_bench)
# against a local MoreFit checkout (MOREFIT, default /work/morefit) whose
# Minuit2 was built with: cmake -S $MOREFIT -B $MOREFIT/build -DWITH_ROOT=OFF
#   -DCLANG_INSTALL_PREFIX=/usr/lib/llvm-16 -DMOREFIT_LLVM_LIB=LLVM-16 -DCMAKE_BUILD_TYPE=Release
#   && make -C $MOREFIT/build -j2 Minuit2
set -e
MOREFIT=${MOREFIT:-/work/morefit}
LLVM=${LLVM:-/usr/lib/llvm-16}
c++ -O3 -DNDEBUG -std=c++20 -Wall -Wno-unused-variable -Wno-sign-compare -DCL_TARGET_OPENCL_VERSION=300 \
  -DMATHCORE_STANDALONE -DROOT_Math_VecTypes -DMVEC_FILE_PATH=\"/usr/lib/x86_64-linux-gnu/libmvec.so\" \
  -I"$MOREFIT/include" -I"$MOREFIT" -I"$MOREFIT/minuit2/inc" -I"$LLVM/include" -isystem /usr/include/eigen3 \
  "$(dirname "$0")/morefit_bench.cc" -o "${OUT:-/tmp/morefit_bench}" \
  -L"$LLVM/lib" -Wl,-rpath,"$LLVM/lib" \
  "$MOREFIT/build/minuit2/src/libMinuit2.a" "$MOREFIT/build/minuit2/src/math/libMinuit2Math.a" \
  -lclang-cpp -lLLVM-16 -lOpenCL -lmvec -lm -lpthread
