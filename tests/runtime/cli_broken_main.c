/*===- cli_broken_main.c - executable entry model: "broken" -----*- C -*-===*/
#include "fixture_models.h"
const kiln_model_desc *const kiln_main_model = &kiln_test_broken_model;
