/*===- npy.h - NumPy .npy reader/writer for Kiln executables ----*- C -*-===*
 *
 * Only what a CNN executable needs: float32 ('<f4'), C order, header
 * versions 1.0/2.0 (3.0 is read too: same layout, UTF-8 header). Every read
 * validates the magic, header dict, shape and exact data size; failures
 * return non-zero with a message naming the file in `err`.
 *
 *===----------------------------------------------------------------------===*/
#ifndef KILN_RUNTIME_MAIN_NPY_H
#define KILN_RUNTIME_MAIN_NPY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KILN_NPY_MAX_RANK 32

typedef struct kiln_npy_header {
  int32_t rank;
  int64_t shape[KILN_NPY_MAX_RANK];
  size_t count;       /* number of elements, product(shape) */
  size_t data_offset; /* bytes from the start of the file to the data */
} kiln_npy_header;

typedef struct kiln_npy_array {
  int32_t rank;
  int64_t shape[KILN_NPY_MAX_RANK];
  size_t count;
  float *data; /* malloc'd, count elements; free with kiln_npy_free */
} kiln_npy_array;

/* Parses the header at the start of bytes[0..size) (the whole file or at
 * least its header). `what` names the source in messages. Returns 0 on
 * success. Does not check that the data is present. */
int kiln_npy_parse_header(const void *bytes, size_t size, const char *what,
                          kiln_npy_header *out, char *err, size_t err_size);

/* Parses a complete in-memory .npy image; data must be exactly
 * count * 4 bytes after the header. Returns 0 on success. */
int kiln_npy_parse(const void *bytes, size_t size, const char *what,
                   kiln_npy_array *out, char *err, size_t err_size);

/* Reads a .npy file. Returns 0 on success; *out is zeroed on failure. */
int kiln_npy_read(const char *path, kiln_npy_array *out, char *err,
                  size_t err_size);

/* Writes a float32 C-order .npy (version 1.0, or 2.0 if the header needs
 * it). Returns 0 on success. */
int kiln_npy_write(const char *path, const float *data, int32_t rank,
                   const int64_t *shape, char *err, size_t err_size);

void kiln_npy_free(kiln_npy_array *array);

#ifdef __cplusplus
}
#endif

#endif /* KILN_RUNTIME_MAIN_NPY_H */
