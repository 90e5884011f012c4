/*===- json.h - JSON strings for Kiln executables' reports -----*- C -*-===*/
#ifndef KILN_RUNTIME_MAIN_JSON_H
#define KILN_RUNTIME_MAIN_JSON_H

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Writes `s` as a JSON string (quotes included). */
void kiln_json_string(FILE *f, const char *s);

#ifdef __cplusplus
}
#endif

#endif /* KILN_RUNTIME_MAIN_JSON_H */
