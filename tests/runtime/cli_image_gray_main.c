/*===- cli_image_gray_main.c - entry model "image_gray" -----------*- C -*-===*/
#include "fixture_models.h"
const kiln_model_desc *const kiln_main_model = &kiln_test_image_gray_model;
