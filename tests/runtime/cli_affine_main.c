/*===- cli_affine_main.c - executable entry model: "affine" -----*- C -*-===*/
/* What the generated model file of an executable adds. */
#include "fixture_models.h"
const kiln_model_desc *const kiln_main_model = &kiln_test_affine_model;
