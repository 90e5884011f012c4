/*===- cli_image_main.c - entry model "image" ---------------------*- C -*-===*/
#include "fixture_models.h"
const kiln_model_desc *const kiln_main_model = &kiln_test_image_model;
