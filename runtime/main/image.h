/*===- image.h - image files to a classifier's input tensor -----*- C -*-===*
 *
 * Decodes PNG, JPEG, BMP and PPM/PGM files (stb_image, Debian libstb-dev)
 * and applies the standard ImageNet preprocessing for an NCHW float32
 * input of shape [1, 3, H, W]:
 *
 *   1. decode to 8-bit RGB: grayscale is replicated to R=G=B, alpha is
 *      dropped (not composited), 16-bit PNG samples are reduced to 8 bits,
 *      EXIF orientation is ignored;
 *   2. resize (bilinear, half-pixel centers, no antialiasing; edge samples
 *      clamped) so the shorter side is S = round(max(H, W) * 256 / 224)
 *      (256 for 224x224) and the longer side is floor(S * long / short);
 *   3. center-crop to H x W, top/left offset = round((size - crop) / 2) with
 *      ties to even;
 *   4. scale to [0, 1] (v / 255), then, unless normalization is off,
 *      (v - mean[c]) / std[c] with mean (0.485, 0.456, 0.406) and std
 *      (0.229, 0.224, 0.225);
 *   5. lay out as C-order float32 [1, 3, H, W] (channel order R, G, B).
 *
 *===----------------------------------------------------------------------===*/
#ifndef KILN_RUNTIME_MAIN_IMAGE_H
#define KILN_RUNTIME_MAIN_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Largest width or height of an image file that is accepted. */
#define KILN_IMAGE_MAX_DIMENSION 32768

/* The side that the shorter image side is resized to for an H x W crop. */
int64_t kiln_image_resize_short_side(int64_t height, int64_t width);

/* Steps 2-5 on an 8-bit RGB image (rows of src_width * 3 bytes). Writes
 * 3 * height * width floats to out. Returns 0, or non-zero with a message
 * in err for invalid sizes. */
int kiln_image_preprocess_rgb8(const unsigned char *rgb, int src_width,
                               int src_height, int64_t height, int64_t width,
                               int normalize, float *out, char *err,
                               size_t err_size);

/* Reads the image file at path and runs steps 1-5 into out
 * (3 * height * width floats). Returns 0, or non-zero with a message that
 * names the file in err. */
int kiln_image_read_nchw(const char *path, int64_t height, int64_t width,
                         int normalize, float *out, char *err, size_t err_size);

#ifdef __cplusplus
}
#endif

#endif /* KILN_RUNTIME_MAIN_IMAGE_H */
