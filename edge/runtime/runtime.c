// The C runtime an Embedded Swift module for wasm32 needs when there is no C library
// (issue 16): an allocator, the memory and string functions, the few libm functions the
// router and the standard library call, decimal parsing for Double(String), and stubs for
// the randomness and output the Embedded runtime asks for. scripts/wasm-build.sh compiles it
// with -ffreestanding -fno-builtin so that none of these loops is turned back into a call
// to itself.
//
// It is for a single-threaded module: nothing here is safe to call from two threads.

#include <stddef.h>
#include <stdint.h>

// MARK: Memory and strings

void *memcpy(void *restrict destination, const void *restrict source, size_t count) {
    unsigned char *to = destination;
    const unsigned char *from = source;
    while (count--) *to++ = *from++;
    return destination;
}

void *memmove(void *destination, const void *source, size_t count) {
    unsigned char *to = destination;
    const unsigned char *from = source;
    if (to == from || count == 0) return destination;
    if (to < from) {
        while (count--) *to++ = *from++;
    } else {
        to += count;
        from += count;
        while (count--) *--to = *--from;
    }
    return destination;
}

void *memset(void *destination, int value, size_t count) {
    unsigned char *to = destination;
    while (count--) *to++ = (unsigned char)value;
    return destination;
}

int memcmp(const void *left, const void *right, size_t count) {
    const unsigned char *a = left, *b = right;
    for (; count; count--, a++, b++) {
        if (*a != *b) return *a < *b ? -1 : 1;
    }
    return 0;
}

size_t strlen(const char *text) {
    const char *end = text;
    while (*end) end++;
    return (size_t)(end - text);
}

// MARK: Allocator
//
// Blocks come in power-of-two size classes from 32 bytes up, each with a 16-byte header in
// front of what the caller gets, so every pointer handed out is 16-byte aligned as Swift
// expects. A freed block goes on its class's free list and is reused by the next request of
// that class; otherwise blocks are cut from the top of the heap, which grows the wasm memory
// when it runs out. Memory is never given back to the host, as wasm cannot shrink memory.

extern unsigned char __heap_base;

enum { HEADER = 16, MIN_CLASS = 5, MAX_CLASS = 31, PAGE = 65536 };

typedef struct {
    // The block's size class: the block is 1 << size_class bytes, header included.
    uint32_t size_class;
    // How far the header is from the start of the block: nonzero only for blocks from
    // posix_memalign with an alignment over 16.
    uint32_t offset;
    uint64_t unused;
} Header;

typedef struct FreeBlock {
    struct FreeBlock *next;
} FreeBlock;

static FreeBlock *free_lists[MAX_CLASS + 1];
static uintptr_t heap_top;

static int class_for(size_t total) {
    int size_class = MIN_CLASS;
    while (size_class <= MAX_CLASS && ((size_t)1 << size_class) < total) size_class++;
    return size_class;
}

// A block of the class: a freed one, else a new one from the top of the heap.
static void *take_block(int size_class) {
    if (free_lists[size_class]) {
        FreeBlock *block = free_lists[size_class];
        free_lists[size_class] = block->next;
        return block;
    }
    if (heap_top == 0) heap_top = ((uintptr_t)&__heap_base + HEADER - 1) & ~(uintptr_t)(HEADER - 1);
    size_t size = (size_t)1 << size_class;
    uintptr_t end = (uintptr_t)__builtin_wasm_memory_size(0) * PAGE;
    if (size > UINTPTR_MAX - heap_top) return NULL;
    if (heap_top + size > end) {
        size_t pages = (heap_top + size - end + PAGE - 1) / PAGE;
        if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) return NULL;
    }
    void *block = (void *)heap_top;
    heap_top += size;
    return block;
}

// Up to `alignment` bytes (a power of two, at least 16) of `size` bytes, or NULL.
static void *allocate(size_t size, size_t alignment) {
    size_t slack = alignment > HEADER ? alignment - HEADER : 0;
    if (size > ((size_t)1 << MAX_CLASS) - HEADER - slack) return NULL;
    int size_class = class_for(size + HEADER + slack);
    unsigned char *block = take_block(size_class);
    if (!block) return NULL;
    uintptr_t payload = ((uintptr_t)block + HEADER + alignment - 1) & ~(uintptr_t)(alignment - 1);
    Header *header = (Header *)(payload - HEADER);
    header->size_class = (uint32_t)size_class;
    header->offset = (uint32_t)((unsigned char *)header - block);
    return (void *)payload;
}

static Header *header_of(void *pointer) { return (Header *)((unsigned char *)pointer - HEADER); }

// The bytes the caller may use in the block of `pointer`.
static size_t usable_size(void *pointer) {
    Header *header = header_of(pointer);
    return ((size_t)1 << header->size_class) - HEADER - header->offset;
}

void *malloc(size_t size) { return allocate(size, HEADER); }

void free(void *pointer) {
    if (!pointer) return;
    Header *header = header_of(pointer);
    FreeBlock *block = (FreeBlock *)((unsigned char *)header - header->offset);
    int size_class = (int)header->size_class;
    block->next = free_lists[size_class];
    free_lists[size_class] = block;
}

void *calloc(size_t count, size_t size) {
    if (size && count > SIZE_MAX / size) return NULL;
    void *pointer = malloc(count * size);
    if (pointer) memset(pointer, 0, count * size);
    return pointer;
}

void *realloc(void *pointer, size_t size) {
    if (!pointer) return malloc(size);
    size_t usable = usable_size(pointer);
    if (size <= usable) return pointer;
    void *moved = malloc(size);
    if (!moved) return NULL;
    memcpy(moved, pointer, usable);
    free(pointer);
    return moved;
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    // EINVAL and ENOMEM as C libraries number them.
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0) return 22;
    void *pointer = allocate(size, alignment < HEADER ? HEADER : alignment);
    if (!pointer) return 12;
    *result = pointer;
    return 0;
}

// MARK: What the Embedded Swift runtime and the compiler call

// Seeds Hasher. A module without a host import has no entropy to offer, so the seed is a
// fixed sequence: hashing is then the same on every run, which is fine for a router that
// hashes only its own config, not input chosen to collide.
void arc4random_buf(void *buffer, size_t count) {
    static uint64_t state = 0x9E3779B97F4A7C15u;
    unsigned char *bytes = buffer;
    for (size_t index = 0; index < count; index++) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        bytes[index] = (unsigned char)state;
    }
}

// print() writes here; the module has no output, so it is dropped.
int putchar(int character) { return character; }

uintptr_t __stack_chk_guard = 0x5DE3C0A1u;

void __stack_chk_fail(void) { __builtin_trap(); }

// 128-bit multiplication (UInt64.multipliedFullWidth and friends), which clang lowers to
// this compiler-rt call on wasm32. Built from 32-bit halves so it never calls itself.
typedef unsigned __int128 uint128;

uint128 __multi3(uint128 a, uint128 b) {
    uint64_t a_low = (uint64_t)a, a_high = (uint64_t)(a >> 64);
    uint64_t b_low = (uint64_t)b, b_high = (uint64_t)(b >> 64);
    uint64_t a0 = a_low & 0xFFFFFFFFu, a1 = a_low >> 32, b0 = b_low & 0xFFFFFFFFu, b1 = b_low >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t middle = (p00 >> 32) + (p01 & 0xFFFFFFFFu) + (p10 & 0xFFFFFFFFu);
    uint64_t low = (middle << 32) | (p00 & 0xFFFFFFFFu);
    uint64_t high = p11 + (p01 >> 32) + (p10 >> 32) + (middle >> 32) + a_low * b_high + a_high * b_low;
    return ((uint128)high << 64) | low;
}

// MARK: libm: round, sin, cos, asin
//
// round for Double.rounded(); sin, cos and asin for the haversine distance of the geographic
// strategy (GeoPlacement.swift). f64.trunc, f64.abs, f64.copysign and f64.sqrt are wasm
// instructions, so the builtins below compile to them, never to calls.
//
// sin, cos and asin follow fdlibm, as musl carries it on:
// Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
// Developed at SunPro, a Sun Microsystems, Inc. business.
// Permission to use, copy, modify, and distribute this software is freely granted,
// provided that this notice is preserved.

double round(double x) {
    double whole = __builtin_trunc(x);
    // x - whole is exact; it is NaN only for infinities, which are already whole.
    if (__builtin_fabs(x - whole) >= 0.5) whole += __builtin_copysign(1.0, x);
    return whole;
}

static uint32_t high_word(double x) {
    union {
        double value;
        uint64_t bits;
    } u = {x};
    return (uint32_t)(u.bits >> 32);
}

// sin on [-pi/4, pi/4], x + y being the argument with y its tail.
static double kernel_sin(double x, double y, int y_is_zero) {
    const double S1 = -1.66666666666666324348e-01, S2 = 8.33333333332248946124e-03,
                 S3 = -1.98412698298579493134e-04, S4 = 2.75573137070700676789e-06,
                 S5 = -2.50507602534068634195e-08, S6 = 1.58969099521155010221e-10;
    double z = x * x, w = z * z;
    double r = S2 + z * (S3 + z * S4) + z * w * (S5 + z * S6);
    double v = z * x;
    if (y_is_zero) return x + v * (S1 + z * r);
    return x - ((z * (0.5 * y - v * r) - y) - v * S1);
}

// cos on [-pi/4, pi/4].
static double kernel_cos(double x, double y) {
    const double C1 = 4.16666666666666019037e-02, C2 = -1.38888888888741095749e-03,
                 C3 = 2.48015872894767294178e-05, C4 = -2.75573143513906633035e-07,
                 C5 = 2.08757232129817482790e-09, C6 = -1.13596475577881948265e-11;
    double z = x * x, w = z * z;
    double r = z * (C1 + z * (C2 + z * C3)) + w * w * (C4 + z * (C5 + z * C6));
    double half = 0.5 * z;
    w = 1.0 - half;
    return w + (((1.0 - w) - half) + (z * r - x * y));
}

// x - n * pi/2 as y[0] + y[1], returning n. Two rounds of Cody-Waite reduction with pi/2
// in 33-bit pieces: accurate for |x| below about 1e6 (angles in radians of a few turns are
// what the router passes); larger arguments lose precision instead of taking fdlibm's
// multi-precision path.
static int reduce_pi_over_2(double x, double y[2]) {
    const double to_int = 1.5 / 2.22044604925031308085e-16, inverse_pio2 = 6.36619772367581382433e-01,
                 pio2_1 = 1.57079632673412561417e+00, pio2_1t = 6.07710050650619224932e-11,
                 pio2_2 = 6.07710050630396597660e-11, pio2_2t = 2.02226624879595063154e-21;
    double n = x * inverse_pio2 + to_int - to_int;
    double r = x - n * pio2_1;
    double w = n * pio2_1t;
    double t = r;
    w = n * pio2_2;
    r = t - w;
    w = n * pio2_2t - ((t - r) - w);
    y[0] = r - w;
    y[1] = (r - y[0]) - w;
    return (int)(int64_t)n;
}

double sin(double x) {
    uint32_t magnitude = high_word(x) & 0x7FFFFFFF;
    if (magnitude <= 0x3FE921FB) {  // |x| ~<= pi/4
        if (magnitude < 0x3E500000) return x;  // |x| < 2^-26: sin x rounds to x
        return kernel_sin(x, 0, 1);
    }
    if (magnitude >= 0x7FF00000) return x - x;  // NaN or infinity
    double y[2];
    switch (reduce_pi_over_2(x, y) & 3) {
    case 0: return kernel_sin(y[0], y[1], 0);
    case 1: return kernel_cos(y[0], y[1]);
    case 2: return -kernel_sin(y[0], y[1], 0);
    default: return -kernel_cos(y[0], y[1]);
    }
}

double cos(double x) {
    uint32_t magnitude = high_word(x) & 0x7FFFFFFF;
    if (magnitude <= 0x3FE921FB) {
        if (magnitude < 0x3E46A09E) return 1.0;  // |x| < 2^-27 * sqrt(2)
        return kernel_cos(x, 0);
    }
    if (magnitude >= 0x7FF00000) return x - x;
    double y[2];
    switch (reduce_pi_over_2(x, y) & 3) {
    case 0: return kernel_cos(y[0], y[1]);
    case 1: return -kernel_sin(y[0], y[1], 0);
    case 2: return -kernel_cos(y[0], y[1]);
    default: return kernel_sin(y[0], y[1], 0);
    }
}

// The rational approximation of (asin(x) - x) / x^3 in x^2 = z.
static double asin_ratio(double z) {
    const double pS0 = 1.66666666666666657415e-01, pS1 = -3.25565818622400915405e-01,
                 pS2 = 2.01212532134862925881e-01, pS3 = -4.00555345006794114027e-02,
                 pS4 = 7.91534994289814532176e-04, pS5 = 3.47933107596021167570e-05,
                 qS1 = -2.40339491173441421878e+00, qS2 = 2.02094576023350569471e+00,
                 qS3 = -6.88283971605453293030e-01, qS4 = 7.70381505559019352791e-02;
    double p = z * (pS0 + z * (pS1 + z * (pS2 + z * (pS3 + z * (pS4 + z * pS5)))));
    double q = 1.0 + z * (qS1 + z * (qS2 + z * (qS3 + z * qS4)));
    return p / q;
}

double asin(double x) {
    const double pio2_hi = 1.57079632679489655800e+00, pio2_lo = 6.12323399573676603587e-17;
    uint32_t high = high_word(x), magnitude = high & 0x7FFFFFFF;
    if (magnitude >= 0x3FF00000) {  // |x| >= 1 or NaN
        if (__builtin_fabs(x) == 1.0) return x * pio2_hi + 0x1p-120;
        return (x - x) / (x - x);
    }
    if (magnitude < 0x3FE00000) {  // |x| < 0.5
        if (magnitude < 0x3E500000) return x;
        return x + x * asin_ratio(x * x);
    }
    double z = (1 - __builtin_fabs(x)) * 0.5;
    double s = __builtin_sqrt(z);
    double r = asin_ratio(z);
    double result;
    if (magnitude >= 0x3FEF3333) {  // |x| > 0.975
        result = pio2_hi - (2 * (s + s * r) - pio2_lo);
    } else {
        // f + c = sqrt(z), f with its low 32 bits cleared.
        union {
            double value;
            uint64_t bits;
        } u = {s};
        u.bits &= 0xFFFFFFFF00000000u;
        double f = u.value;
        double c = (z - f * f) / (s + f);
        result = 0.5 * pio2_hi - (2 * s * r - (pio2_lo - 2 * c) - (0.5 * pio2_hi - 2 * f));
    }
    return (high >> 31) ? -result : result;
}

// MARK: Double(String)
//
// The Embedded standard library parses a Double through this hook, as the native one does
// through strtod in the C locale. It returns the end of what was parsed (NULL when nothing
// was), and Swift accepts the text only if that is its end. It reads an optional sign, then
// "inf", "infinity" or "nan", or decimal digits with an optional fraction and exponent;
// hexadecimal floats are not read. Overflow gives an infinity and underflow zero, as natively.
//
// The result is correctly rounded when the significant digits fit 2^53 and the power of ten
// is at most 22 either way (Clinger's fast path, which covers what a config holds: ports,
// weights, timeouts, coordinates). Otherwise it is computed in double-double arithmetic,
// about 100 bits, and may differ from a correctly rounded result in the last bit for inputs
// within a hair of halfway between two doubles.

typedef struct {
    double high, low;
} DoubleDouble;

static DoubleDouble two_sum(double a, double b) {
    double s = a + b;
    double v = s - a;
    return (DoubleDouble){s, (a - (s - v)) + (b - v)};
}

// a as high + low halves of 26 bits each (Veltkamp), scaled to keep the split from
// overflowing near the top of the range.
static void split(double a, double *high, double *low) {
    double scale = __builtin_fabs(a) > 0x1p995 ? 0x1p28 : 1;
    double scaled = a / scale;
    double t = 134217729.0 * scaled;  // 2^27 + 1
    double top = t - (t - scaled);
    *high = top * scale;
    *low = (scaled - top) * scale;
}

// The product, exact up to the low part's rounding (Dekker; wasm has no fused multiply-add,
// and __builtin_fma would become a call to a fma this runtime does not have).
static DoubleDouble dd_mul(DoubleDouble a, DoubleDouble b) {
    double p = a.high * b.high;
    if (__builtin_isinf(p) || p == 0) return (DoubleDouble){p, 0};
    double ah, al, bh, bl;
    split(a.high, &ah, &al);
    split(b.high, &bh, &bl);
    double e = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
    e += a.high * b.low + a.low * b.high;
    return two_sum(p, e);
}

static DoubleDouble dd_div(DoubleDouble a, DoubleDouble b) {
    double q1 = a.high / b.high;
    if (__builtin_isinf(q1) || q1 == 0) return (DoubleDouble){q1, 0};
    DoubleDouble r = dd_mul(b, (DoubleDouble){q1, 0});
    DoubleDouble d = two_sum(a.high - r.high, a.low - r.low);
    double q2 = d.high / b.high;
    return two_sum(q1, q2);
}

// 10^n for 0 <= n <= 400, in double-double, by repeated squaring of exact powers.
static DoubleDouble dd_pow10(int n) {
    DoubleDouble result = {1, 0}, base = {10, 0};
    while (n) {
        if (n & 1) result = dd_mul(result, base);
        base = dd_mul(base, base);
        n >>= 1;
    }
    return result;
}

static int lower(char c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

// Whether `text` starts with `word` (lowercase), ignoring case.
static int starts_with(const char *text, const char *word) {
    for (; *word; text++, word++) {
        if (lower(*text) != *word) return 0;
    }
    return 1;
}

const char *_swift_stdlib_strtod_clocale(const char *text, double *result) {
    const char *at = text;
    while (*at == ' ' || (*at >= '\t' && *at <= '\r')) at++;
    int negative = *at == '-';
    if (*at == '-' || *at == '+') at++;
    double sign = negative ? -1.0 : 1.0;
    if (starts_with(at, "inf")) {
        *result = sign * __builtin_inf();
        return at + (starts_with(at, "infinity") ? 8 : 3);
    }
    if (starts_with(at, "nan")) {
        at += 3;
        if (*at == '(') {
            const char *close = at + 1;
            while ((*close >= '0' && *close <= '9') || (lower(*close) >= 'a' && lower(*close) <= 'z') || *close == '_')
                close++;
            if (*close == ')') at = close + 1;
        }
        *result = sign * __builtin_nan("");
        return at;
    }

    // Up to 19 significant digits, exactly; later ones only move the decimal exponent.
    uint64_t digits = 0;
    int kept = 0, exponent = 0, any_digit = 0;
    for (; *at >= '0' && *at <= '9'; at++) {
        any_digit = 1;
        if (kept < 19) {
            digits = digits * 10 + (uint64_t)(*at - '0');
            if (digits) kept++;
        } else {
            exponent++;
        }
    }
    if (*at == '.') {
        at++;
        for (; *at >= '0' && *at <= '9'; at++) {
            any_digit = 1;
            if (kept < 19) {
                digits = digits * 10 + (uint64_t)(*at - '0');
                if (digits) kept++;
                exponent--;
            }
        }
    }
    if (!any_digit) {
        *result = 0;
        return NULL;
    }
    if (lower(*at) == 'e') {
        const char *mark = at + 1;
        int exponent_negative = *mark == '-';
        if (*mark == '-' || *mark == '+') mark++;
        if (*mark >= '0' && *mark <= '9') {
            int written = 0;
            for (; *mark >= '0' && *mark <= '9'; mark++) {
                if (written < 100000) written = written * 10 + (*mark - '0');
            }
            exponent += exponent_negative ? -written : written;
            at = mark;
        }
    }

    double value;
    if (digits == 0) {
        value = 0;
    } else if (digits <= (1ull << 53) && exponent >= -22 && exponent <= 22) {
        // Both factors are exact, so the one rounding is the only one.
        double scale = 1;
        for (int n = exponent < 0 ? -exponent : exponent; n; n--) scale *= 10;
        value = exponent < 0 ? (double)digits / scale : (double)digits * scale;
    } else if (exponent + kept > 310) {
        value = __builtin_inf();
    } else if (exponent + kept < -343) {
        value = 0;
    } else {
        double high = (double)digits;
        double low = (double)(int64_t)(digits - (uint64_t)high);
        DoubleDouble mantissa = two_sum(high, low);
        if (exponent >= 0) {
            value = dd_mul(mantissa, dd_pow10(exponent)).high;
        } else if (exponent >= -300) {
            value = dd_div(mantissa, dd_pow10(-exponent)).high;
        } else {
            // 10^-exponent would overflow: divide in two steps, 10^300 then the rest.
            DoubleDouble step = dd_div(mantissa, dd_pow10(300));
            value = dd_div(step, dd_pow10(-exponent - 300)).high;
        }
    }
    *result = sign * value;
    return at;
}
