// libpng, read and written from memory. libpng reports errors by longjmp: each
// function below sets its own jump point, so a longjmp only ever unwinds C
// frames of this header and libpng, never a Swift frame. Warnings are dropped.
#ifndef TENSH_CPNG_SHIM_H
#define TENSH_CPNG_SHIM_H
#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/// An image as stored, and the layout of the decoded rows.
typedef struct {
    uint32_t width;
    uint32_t height;
    int bit_depth;     // as stored: 1, 2, 4, 8 or 16
    int color_type;    // PNG_COLOR_TYPE_* as stored
    int interlaced;    // 1 for Adam7
    int palette_alpha; // 1 when a palette image has a tRNS chunk (it decodes to RGBA)
    int channels;      // decoded samples per pixel: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA
    int sample_bytes;  // 1, or 2 for 16-bit samples in host byte order
    int has_key;       // a gray or RGB image with a tRNS colour key
    uint16_t key[3];   // that key (gray in key[0]) on the decoded sample scale
} tensh_png_info;

/// One decode or encode: the bytes in or out, and where libpng's errors jump to.
/// Heap-allocated, so nothing the jump skips over lives in a register.
typedef struct {
    const uint8_t *input;
    size_t input_size;
    size_t position;
    uint8_t *output;
    size_t output_size;
    size_t output_capacity;
    png_bytep *rows;
    jmp_buf jump;
    char message[256];
} tensh_png_io;

static void tensh_png_fail(png_structp png, png_const_charp message) {
    tensh_png_io *io = (tensh_png_io *)png_get_error_ptr(png);
    snprintf(io->message, sizeof io->message, "%s", message);
    longjmp(io->jump, 1);
}

static void tensh_png_ignore_warning(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;
}

static void tensh_png_read_bytes(png_structp png, png_bytep out, size_t count) {
    tensh_png_io *io = (tensh_png_io *)png_get_io_ptr(png);
    if (count > io->input_size - io->position) png_error(png, "the file ends early (truncated)");
    memcpy(out, io->input + io->position, count);
    io->position += count;
}

static void tensh_png_write_bytes(png_structp png, png_bytep bytes, size_t count) {
    tensh_png_io *io = (tensh_png_io *)png_get_io_ptr(png);
    if (count > io->output_capacity - io->output_size) {
        size_t capacity = io->output_capacity ? io->output_capacity : 65536;
        while (capacity - io->output_size < count) capacity *= 2;
        uint8_t *grown = (uint8_t *)realloc(io->output, capacity);
        if (!grown) png_error(png, "out of memory");
        io->output = grown;
        io->output_capacity = capacity;
    }
    memcpy(io->output + io->output_size, bytes, count);
    io->output_size += count;
}

static void tensh_png_flush(png_structp png) { (void)png; }

static void tensh_png_copy_message(const tensh_png_io *io, char *message, size_t message_size) {
    if (message_size) snprintf(message, message_size, "%s", io->message[0] ? io->message : "out of memory");
}

/// The expansions: palettes to RGB (RGBA with tRNS), 1/2/4-bit gray to 8 bits,
/// 16-bit samples to host order. Colour keys of gray and RGB images are reported, not applied.
static void tensh_png_set_transforms(png_structp png, png_infop info_ptr, tensh_png_info *info) {
    info->has_key = 0;
    info->palette_alpha = 0;
    if (png_get_valid(png, info_ptr, PNG_INFO_tRNS)) {
        if (info->color_type == PNG_COLOR_TYPE_PALETTE) {
            png_set_tRNS_to_alpha(png);
            info->palette_alpha = 1;
        } else {
            png_color_16p key = NULL;
            png_get_tRNS(png, info_ptr, NULL, NULL, &key);
            if (key) {
                int scale = info->bit_depth < 8 ? 255 / ((1 << info->bit_depth) - 1) : 1;
                info->has_key = 1;
                info->key[0] = info->color_type == PNG_COLOR_TYPE_GRAY ? (uint16_t)(key->gray * scale) : key->red;
                info->key[1] = key->green;
                info->key[2] = key->blue;
            }
        }
    }
    if (info->color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (info->color_type == PNG_COLOR_TYPE_GRAY && info->bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (info->bit_depth == 16) png_set_swap(png);
#endif
    if (info->interlaced) png_set_interlace_handling(png);
}

/// Reads the header of the PNG in `data` into `info` (when `pixels` is NULL), or
/// decodes the whole image into `pixels`: `info->height` rows of
/// `width * channels * sample_bytes` bytes. Returns 0, or -1 with `message` set.
static inline int tensh_png_decode(const uint8_t *data, size_t size, tensh_png_info *info,
                                   uint8_t *pixels, size_t pixel_bytes, char *message, size_t message_size) {
    tensh_png_io *io = (tensh_png_io *)calloc(1, sizeof(tensh_png_io));
    if (!io) return -1;
    io->input = data;
    io->input_size = size;
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, io, tensh_png_fail, tensh_png_ignore_warning);
    png_infop info_ptr = png ? png_create_info_struct(png) : NULL;
    if (!info_ptr || setjmp(io->jump)) {
        tensh_png_copy_message(io, message, message_size);
        png_destroy_read_struct(&png, &info_ptr, NULL);
        free(io->rows);
        free(io);
        return -1;
    }
    png_set_read_fn(png, io, tensh_png_read_bytes);
    png_set_user_limits(png, 0x7fffffff, 0x7fffffff); // the caller checks sizes against its own limit
    png_read_info(png, info_ptr);
    int interlace = 0;
    png_get_IHDR(png, info_ptr, &info->width, &info->height, &info->bit_depth, &info->color_type, &interlace, NULL, NULL);
    info->interlaced = interlace != PNG_INTERLACE_NONE;
    tensh_png_set_transforms(png, info_ptr, info);
    png_read_update_info(png, info_ptr);
    info->channels = png_get_channels(png, info_ptr);
    info->sample_bytes = png_get_bit_depth(png, info_ptr) == 16 ? 2 : 1;
    if (pixels) {
        size_t row_bytes = (size_t)info->width * (size_t)info->channels * (size_t)info->sample_bytes;
        if (png_get_rowbytes(png, info_ptr) != row_bytes || pixel_bytes / row_bytes < info->height)
            png_error(png, "decoded rows do not fit the pixel buffer");
        io->rows = (png_bytep *)malloc((size_t)info->height * sizeof(png_bytep));
        if (!io->rows) png_error(png, "out of memory");
        for (uint32_t y = 0; y < info->height; y++) io->rows[y] = pixels + (size_t)y * row_bytes;
        png_read_image(png, io->rows);
    }
    png_destroy_read_struct(&png, &info_ptr, NULL);
    free(io->rows);
    free(io);
    return 0;
}

/// Encodes 8-bit pixels (`channels` 1 gray, 2 gray+alpha, 3 RGB or 4 RGBA; rows
/// packed) as a PNG with zlib's default compression. On success `*out` holds
/// `*out_size` bytes that the caller frees with free(). Returns 0, or -1 with `message` set.
static inline int tensh_png_encode(const uint8_t *pixels, uint32_t width, uint32_t height, int channels,
                                   uint8_t **out, size_t *out_size, char *message, size_t message_size) {
    static const int color_types[5] = {0, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA, PNG_COLOR_TYPE_RGB,
                                       PNG_COLOR_TYPE_RGB_ALPHA};
    if (channels < 1 || channels > 4) return -1;
    tensh_png_io *io = (tensh_png_io *)calloc(1, sizeof(tensh_png_io));
    if (!io) return -1;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, io, tensh_png_fail, tensh_png_ignore_warning);
    png_infop info_ptr = png ? png_create_info_struct(png) : NULL;
    if (!info_ptr || setjmp(io->jump)) {
        tensh_png_copy_message(io, message, message_size);
        png_destroy_write_struct(&png, &info_ptr);
        free(io->output);
        free(io);
        return -1;
    }
    png_set_write_fn(png, io, tensh_png_write_bytes, tensh_png_flush);
    png_set_IHDR(png, info_ptr, width, height, 8, color_types[channels], PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info_ptr);
    size_t row_bytes = (size_t)width * (size_t)channels;
    for (uint32_t y = 0; y < height; y++) png_write_row(png, (png_const_bytep)(pixels + (size_t)y * row_bytes));
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info_ptr);
    *out = io->output;
    *out_size = io->output_size;
    free(io);
    return 0;
}

#endif
