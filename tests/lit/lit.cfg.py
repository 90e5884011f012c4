# ===- lit.cfg.py - Configuration of the Kiln lit tests ------*- Python -*-=== #
#
# RUN lines find kiln-opt and kiln in the build's bin/ and FileCheck, not and
# split-file in LLVM's bin/ through PATH (build tools first). Substitutions:
#   %python       the project venv's python
#   %kiln_models  <build>/models (one folder per generated ONNX model)
#   %kiln_bin     <build>/bin
# Features: `kiln` when the compiler CLI is built, `kiln-models` when the test
# models are generated (tests using them say `REQUIRES: kiln, kiln-models`).
#
# ===----------------------------------------------------------------------=== #

import os

import lit.formats
import lit.util

config.name = "Kiln"

if not hasattr(config, "kiln_obj_root"):
    lit_config.fatal(
        "lit.site.cfg.py is missing: run lit on <build>/tests/lit "
        "(e.g. `ctest -R '^lit$'` in the build directory), not on the sources"
    )

config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = config.kiln_lit_obj_root

for required in (config.kiln_tools_dir, config.llvm_tools_dir):
    if not os.path.isdir(required):
        lit_config.fatal(f"tool directory {required} does not exist")
for tool in ("FileCheck", "not", "split-file"):
    if not os.path.exists(os.path.join(config.llvm_tools_dir, tool)):
        lit_config.fatal(f"{tool} not found in {config.llvm_tools_dir}")

# Build tools shadow any installed tool of the same name.
config.environment["PATH"] = os.pathsep.join(
    [config.kiln_tools_dir, config.llvm_tools_dir, config.environment.get("PATH", "")]
)
# Tests must not depend on the caller's locale or colour settings.
config.environment["LC_ALL"] = "C"

config.substitutions.append(("%python", config.kiln_python))
config.substitutions.append(("%kiln_models", config.kiln_models_dir))
config.substitutions.append(("%kiln_bin", config.kiln_tools_dir))

if os.path.exists(os.path.join(config.kiln_tools_dir, "kiln")):
    config.available_features.add("kiln")
if os.path.isdir(config.kiln_models_dir):
    config.available_features.add("kiln-models")
if not os.path.exists(os.path.join(config.kiln_tools_dir, "kiln-opt")):
    lit_config.warning(
        f"kiln-opt not found in {config.kiln_tools_dir}: build the kiln-opt target"
    )
