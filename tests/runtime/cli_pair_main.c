/*===- cli_pair_main.c - executable entry model: "pair" ---------*- C -*-===*/
#include "fixture_models.h"
const kiln_model_desc *const kiln_main_model = &kiln_test_pair_model;
