#pragma once

#include <QtGlobal>

#include <cerrno>
#include <unistd.h>

namespace breakwater {

// write(2) until all of `size` bytes are out, a signal notwithstanding; stops at the first real
// failure, leaving its errno in `error` (EIO for a write that took nothing). Returns what was
// written, so the caller keeps the rest. The log and sheets.csv write their buffers with it.
inline qsizetype writeFully(int fd, const char* data, qsizetype size, int& error) noexcept
{
    qsizetype written = 0;
    while (written < size) {
        const ssize_t n = ::write(fd, data + written, std::size_t(size - written));
        if (n > 0) {
            written += n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else {
            error = n < 0 ? errno : EIO;
            break;
        }
    }
    return written;
}

} // namespace breakwater
