#pragma once

#include <QByteArray>
#include <QString>

#include <array>

namespace breakwater::testing {

// Walks a byte string as MPEG audio Layer III frames, header by header, the way a player finds
// its way through a stream: written from the ISO tables, independently of the simulator's code.
struct Mp3Walk
{
    int frames = 0;
    int sampleRate = 0;
    QString problem; // empty: every byte belongs to a well-formed frame

    bool ok() const { return problem.isEmpty() && frames > 0; }
};

inline Mp3Walk walkMp3Frames(const QByteArray& bytes)
{
    static constexpr std::array<int, 16> mpeg1Kbps{0,   32,  40,  48,  56,  64,  80,  96,
                                                   112, 128, 160, 192, 224, 256, 320, -1};
    static constexpr std::array<int, 16> mpeg2Kbps{0,  8,  16, 24,  32,  40,  48,  56,
                                                   64, 80, 96, 112, 128, 144, 160, -1};
    static constexpr std::array<int, 4> mpeg1Rates{44100, 48000, 32000, -1};
    static constexpr std::array<int, 4> mpeg2Rates{22050, 24000, 16000, -1};

    Mp3Walk walk;
    qsizetype offset = 0;
    while (offset < bytes.size()) {
        if (bytes.size() - offset < 4) {
            walk.problem = QStringLiteral("trailing bytes after frame %1").arg(walk.frames);
            return walk;
        }
        const auto byte = [&](int i) {
            return quint8(bytes[offset + i]);
        };
        if (byte(0) != 0xFF || (byte(1) & 0xE0) != 0xE0) {
            walk.problem = QStringLiteral("no frame sync at offset %1").arg(offset);
            return walk;
        }
        const int version = (byte(1) >> 3) & 0x3; // 3: MPEG-1, 2: MPEG-2
        const int layer = (byte(1) >> 1) & 0x3;   // 1: Layer III
        if ((version != 3 && version != 2) || layer != 1) {
            walk.problem = QStringLiteral("not MPEG-1/2 Layer III at offset %1").arg(offset);
            return walk;
        }
        const bool mpeg1 = version == 3;
        const int kbps = (mpeg1 ? mpeg1Kbps : mpeg2Kbps)[byte(2) >> 4];
        const int rate = (mpeg1 ? mpeg1Rates : mpeg2Rates)[(byte(2) >> 2) & 0x3];
        const int padding = (byte(2) >> 1) & 0x1;
        if (kbps <= 0 || rate <= 0) {
            walk.problem = QStringLiteral("bad bitrate or sample rate at offset %1").arg(offset);
            return walk;
        }
        if (walk.sampleRate != 0 && walk.sampleRate != rate) {
            walk.problem = QStringLiteral("sample rate changes at offset %1").arg(offset);
            return walk;
        }
        walk.sampleRate = rate;
        const int frameBytes = (mpeg1 ? 144 : 72) * kbps * 1000 / rate + padding;
        if (offset + frameBytes > bytes.size()) {
            walk.problem = QStringLiteral("frame %1 is cut short").arg(walk.frames);
            return walk;
        }
        offset += frameBytes;
        ++walk.frames;
    }
    return walk;
}

} // namespace breakwater::testing
