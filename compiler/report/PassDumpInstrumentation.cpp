//===- PassDumpInstrumentation.cpp - IR and census after each pass --------===//
#include "compiler/report/PassDumpInstrumentation.h"

#include "compiler/report/IrCensus.h"
#include "mlir/IR/Operation.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/Pass/Pass.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

using namespace mlir;

namespace kiln {
namespace {

/// Pass adaptors (nested pass managers) have no command-line argument.
bool isAdaptor(Pass *pass) { return pass->getArgument().empty(); }

Operation *topLevel(Operation *op) {
  while (Operation *parent = op->getParentOp())
    op = parent;
  return op;
}

} // namespace

std::string printModuleForDump(Operation *module) {
  std::string text;
  llvm::raw_string_ostream os(text);
  OpPrintingFlags flags;
  flags.elideLargeElementsAttrs(16).elideLargeResourceString(64);
  module->print(os, flags);
  os << "\n";
  return text;
}

PassDumpInstrumentation::PassDumpInstrumentation(
    std::string dir, std::string prefix, std::vector<PassReport> &reports)
    : dir(std::move(dir)), prefix(std::move(prefix)), reports(reports) {
  std::error_code ec;
  std::filesystem::create_directories(this->dir, ec);
  if (ec)
    error = "cannot create '" + this->dir + "'";
}

void PassDumpInstrumentation::runBeforePass(Pass *pass, Operation *op) {
  if (isAdaptor(pass))
    return;
  std::lock_guard<std::mutex> lock(mutex);
  pendingBefore.push_back(takeIrCensus(topLevel(op)));
}

void PassDumpInstrumentation::runAfterPass(Pass *pass, Operation *op) {
  finish(pass, op, /*failed=*/false);
}

void PassDumpInstrumentation::runAfterPassFailed(Pass *pass, Operation *op) {
  finish(pass, op, /*failed=*/true);
}

void PassDumpInstrumentation::finish(Pass *pass, Operation *op, bool failed) {
  if (isAdaptor(pass))
    return;
  std::lock_guard<std::mutex> lock(mutex);
  PassReport report;
  report.index = reports.size() + 1;
  report.pass = pass->getArgument().str();
  report.failed = failed;
  if (!pendingBefore.empty()) {
    report.before = std::move(pendingBefore.back());
    pendingBefore.pop_back();
  }
  Operation *module = topLevel(op);
  report.after = takeIrCensus(module);
  char number[16];
  std::snprintf(number, sizeof number, "%02zu-", report.index);
  std::string file = number + report.pass + (failed ? ".failed.mlir" : ".mlir");
  report.dumpFile = prefix.empty() ? file : prefix + "/" + file;
  std::string text = printModuleForDump(module);
  std::ofstream out(dir + "/" + file, std::ios::binary);
  out.write(text.data(), (std::streamsize)text.size());
  if (!out && error.empty())
    error = "cannot write '" + dir + "/" + file + "'";
  reports.push_back(std::move(report));
}

std::string PassDumpInstrumentation::writeError() const {
  std::lock_guard<std::mutex> lock(mutex);
  return error;
}

} // namespace kiln
