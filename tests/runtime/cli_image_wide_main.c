/*===- cli_image_wide_main.c - entry model "image_wide" -----------*- C -*-===*/
#include "fixture_models.h"
const kiln_model_desc *const kiln_main_model = &kiln_test_image_wide_model;
