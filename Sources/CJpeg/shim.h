// libjpeg-turbo, decoding from memory. libjpeg's default error handler calls
// exit(): here error_exit longjmps back into the decoding function (only C
// frames are unwound) and warnings are recorded instead of printed.
#ifndef TENSH_CJPEG_SHIM_H
#define TENSH_CJPEG_SHIM_H
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

/// A JPEG as stored, and the layout of the decoded rows.
typedef struct {
    uint32_t width;
    uint32_t height;
    int stored_components;  // 1 grayscale, 3 YCbCr/RGB, 4 CMYK/YCCK
    int color_space;        // J_COLOR_SPACE as stored
    int progressive;
    int channels;           // decoded samples per pixel: 1 (gray) or 3 (RGB)
} tensh_jpeg_info;

typedef struct {
    struct jpeg_error_mgr manager;
    struct jpeg_progress_mgr progress;
    jmp_buf jump;
    int truncated;          // libjpeg met the end of the data before the image was complete
    char message[JMSG_LENGTH_MAX];
} tensh_jpeg_errors;

/// A progressive JPEG may hold any number of scans, and decoding time grows with them:
/// a file with more than this many is refused (libjpeg-turbo's advice for untrusted input).
enum { TENSH_JPEG_MAX_SCANS = 1000 };

static void tensh_jpeg_fail(j_common_ptr cinfo) {
    tensh_jpeg_errors *errors = (tensh_jpeg_errors *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, errors->message);
    longjmp(errors->jump, 1);
}

/// Warnings are not printed; a premature end of the data (which libjpeg papers
/// over with grey) is recorded so the caller can refuse the image as Pillow does.
static void tensh_jpeg_count_scans(j_common_ptr cinfo) {
    tensh_jpeg_errors *errors = (tensh_jpeg_errors *)cinfo->err;
    if (cinfo->is_decompressor && ((j_decompress_ptr)cinfo)->input_scan_number > TENSH_JPEG_MAX_SCANS) {
        snprintf(errors->message, sizeof errors->message, "more than %d scans (a progressive JPEG this elaborate is refused)",
                 TENSH_JPEG_MAX_SCANS);
        longjmp(errors->jump, 1);
    }
}

static void tensh_jpeg_message(j_common_ptr cinfo, int level) {
    tensh_jpeg_errors *errors = (tensh_jpeg_errors *)cinfo->err;
    if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) errors->truncated = 1;
}

/// Reads the header of the JPEG in `data` (when `pixels` is NULL), or decodes it
/// into `pixels` as `height` rows of `width * channels` bytes with libjpeg's
/// defaults (the accurate integer IDCT, fancy upsampling), as Pillow does.
/// `max_memory` bounds libjpeg's own working memory (progressive images keep
/// every coefficient). Returns 0, -1 with `message` set, or -2 for a colour
/// space other than grayscale, YCbCr or RGB.
static inline int tensh_jpeg_decode(const uint8_t *data, size_t size, tensh_jpeg_info *info, uint8_t *pixels,
                                    size_t pixel_bytes, long max_memory, char *message, size_t message_size) {
    struct jpeg_decompress_struct *cinfo = calloc(1, sizeof(struct jpeg_decompress_struct));
    tensh_jpeg_errors *errors = calloc(1, sizeof(tensh_jpeg_errors));
    if (!cinfo || !errors) {
        free(cinfo);
        free(errors);
        if (message_size) snprintf(message, message_size, "out of memory");
        return -1;
    }
    cinfo->err = jpeg_std_error(&errors->manager);
    errors->manager.error_exit = tensh_jpeg_fail;
    errors->manager.emit_message = tensh_jpeg_message;
    if (setjmp(errors->jump)) {
        if (message_size) snprintf(message, message_size, "%s", errors->message);
        jpeg_destroy_decompress(cinfo);
        free(cinfo);
        free(errors);
        return -1;
    }
    jpeg_create_decompress(cinfo);
    cinfo->mem->max_memory_to_use = max_memory;
    errors->progress.progress_monitor = tensh_jpeg_count_scans;
    cinfo->progress = &errors->progress;
    jpeg_mem_src(cinfo, data, (unsigned long)size);
    jpeg_read_header(cinfo, TRUE);
    info->width = cinfo->image_width;
    info->height = cinfo->image_height;
    info->stored_components = cinfo->num_components;
    info->color_space = cinfo->jpeg_color_space;
    info->progressive = cinfo->progressive_mode ? 1 : 0;
    int status = 0;
    switch (cinfo->jpeg_color_space) {
    case JCS_GRAYSCALE: cinfo->out_color_space = JCS_GRAYSCALE; info->channels = 1; break;
    case JCS_YCbCr: case JCS_RGB: cinfo->out_color_space = JCS_RGB; info->channels = 3; break;
    default: status = -2; break;
    }
    if (status == 0 && pixels) {
        cinfo->dct_method = JDCT_ISLOW;
        cinfo->do_fancy_upsampling = TRUE;
        jpeg_start_decompress(cinfo);
        size_t row_bytes = (size_t)cinfo->output_width * (size_t)cinfo->output_components;
        if (cinfo->output_width != info->width || cinfo->output_height != info->height ||
            cinfo->output_components != info->channels || pixel_bytes / row_bytes < info->height) {
            snprintf(errors->message, sizeof errors->message, "decoded rows do not fit the pixel buffer");
            longjmp(errors->jump, 1);
        }
        while (cinfo->output_scanline < cinfo->output_height) {
            JSAMPROW row = pixels + (size_t)cinfo->output_scanline * row_bytes;
            if (jpeg_read_scanlines(cinfo, &row, 1) != 1) {
                snprintf(errors->message, sizeof errors->message, "no scanline decoded");
                longjmp(errors->jump, 1);
            }
        }
        jpeg_finish_decompress(cinfo);
        if (errors->truncated) {
            snprintf(errors->message, sizeof errors->message, "the file ends before the image data does (truncated)");
            longjmp(errors->jump, 1);
        }
    }
    jpeg_destroy_decompress(cinfo);
    free(cinfo);
    free(errors);
    return status;
}

#endif
