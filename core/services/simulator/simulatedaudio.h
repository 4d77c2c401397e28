#pragma once

#include <QByteArray>
#include <QStringView>

#include <map>
#include <optional>
#include <tuple>

namespace breakwater {

// An ElevenLabs `output_format` such as "mp3_44100_128", "pcm_16000" or "ulaw_8000".
struct AudioFormat
{
    enum class Encoding : quint8
    {
        Mp3,  // MPEG-1 (32/44.1/48 kHz) or MPEG-2 (16/22.05/24 kHz) Layer III, mono
        Pcm,  // signed 16-bit little-endian, mono
        Ulaw, // G.711 mu-law, mono
    };

    Encoding encoding = Encoding::Mp3;
    int sampleRate = 44100;
    int bitrateKbps = 128; // mp3 only

    QByteArray contentType() const;
    friend auto operator<=>(const AudioFormat&, const AudioFormat&) = default;
};

// The formats the simulator can produce; anything else is refused like the real API does.
std::optional<AudioFormat> parseOutputFormat(QStringView name);

// Real, playable silence whose duration follows the text it stands for (about one second per 15
// characters, as speech runs), bounded so a 5000-character request stays cheap. MP3 comes as
// whole frames: correct frame sync, header and frame length, zeroed side information (so a
// decoder plays silence).
//
// One buffer of the longest answer is made per format on first use and answers are cut from it.
// Not thread-safe: each server owns one.
class SimulatedAudio final
{
public:
    static constexpr qsizetype kMaxBytes = 256 * 1024;
    static constexpr int kCharactersPerSecond = 15;

    SimulatedAudio() = default;
    Q_DISABLE_COPY_MOVE(SimulatedAudio)

    QByteArray forText(const AudioFormat& format, qsizetype textLength);

    // MPEG Layer III: bytes in one (unpadded) frame and samples it holds; 0 if not mp3.
    static int mp3FrameBytes(const AudioFormat& format);
    static int mp3SamplesPerFrame(const AudioFormat& format);

private:
    const QByteArray& longest(const AudioFormat& format);

    std::map<AudioFormat, QByteArray> m_longest;
};

} // namespace breakwater
