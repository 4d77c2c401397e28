#include "simulatedaudio.h"

#include <QList>
#include <QString>

#include <algorithm>
#include <array>

namespace breakwater {
namespace {

// Layer III bitrate tables (kbps by header index), ISO/IEC 11172-3 and 13818-3.
constexpr std::array<int, 15> kMpeg1Bitrates{0,   32,  40,  48,  56,  64,  80, 96,
                                             112, 128, 160, 192, 224, 256, 320};
constexpr std::array<int, 15> kMpeg2Bitrates{0,  8,  16, 24,  32,  40,  48, 56,
                                             64, 80, 96, 112, 128, 144, 160};
constexpr std::array<int, 3> kMpeg1SampleRates{44100, 48000, 32000};
constexpr std::array<int, 3> kMpeg2SampleRates{22050, 24000, 16000};
constexpr std::array<int, 6> kPcmSampleRates{8000, 16000, 22050, 24000, 44100, 48000};

template <std::size_t N> int indexOf(const std::array<int, N>& table, int value)
{
    const auto found = std::find(table.begin(), table.end(), value);
    return found == table.end() ? -1 : int(found - table.begin());
}

bool isMpeg1(const AudioFormat& format)
{
    return indexOf(kMpeg1SampleRates, format.sampleRate) >= 0;
}

int bitrateIndex(const AudioFormat& format)
{
    return isMpeg1(format) ? indexOf(kMpeg1Bitrates, format.bitrateKbps)
                           : indexOf(kMpeg2Bitrates, format.bitrateKbps);
}

int sampleRateIndex(const AudioFormat& format)
{
    return isMpeg1(format) ? indexOf(kMpeg1SampleRates, format.sampleRate)
                           : indexOf(kMpeg2SampleRates, format.sampleRate);
}

// Sync, version, layer III, no CRC, bitrate, sample rate, no padding, mono.
QByteArray mp3FrameHeader(const AudioFormat& format)
{
    const char versionBits = isMpeg1(format) ? 0x18 : 0x10;
    QByteArray header(4, Qt::Uninitialized);
    header[0] = char(0xFF);
    header[1] = char(0xE0 | versionBits | 0x02 | 0x01);
    header[2] = char((bitrateIndex(format) << 4) | (sampleRateIndex(format) << 2));
    header[3] = char(0xC0);
    return header;
}

QByteArray silentMp3(const AudioFormat& format)
{
    const int frameBytes = SimulatedAudio::mp3FrameBytes(format);
    QByteArray frame = mp3FrameHeader(format);
    frame.append(frameBytes - frame.size(), '\0');
    const qsizetype frames = SimulatedAudio::kMaxBytes / frameBytes;
    return frame.repeated(frames);
}

int bytesPerSecond(const AudioFormat& format)
{
    switch (format.encoding) {
    case AudioFormat::Encoding::Mp3:
        return format.bitrateKbps * 1000 / 8;
    case AudioFormat::Encoding::Pcm:
        return format.sampleRate * 2;
    case AudioFormat::Encoding::Ulaw:
        break;
    }
    return format.sampleRate;
}

} // namespace

QByteArray AudioFormat::contentType() const
{
    switch (encoding) {
    case Encoding::Mp3:
        return QByteArrayLiteral("audio/mpeg");
    case Encoding::Pcm:
        return QByteArrayLiteral("audio/pcm");
    case Encoding::Ulaw:
        break;
    }
    return QByteArrayLiteral("audio/basic");
}

std::optional<AudioFormat> parseOutputFormat(QStringView name)
{
    const QList<QStringView> parts = name.split(u'_');
    bool rateOk = false;
    const int rate = parts.size() >= 2 ? parts[1].toInt(&rateOk) : 0;
    if (!rateOk)
        return std::nullopt;

    if (parts.size() == 3 && parts[0] == u"mp3") {
        bool bitrateOk = false;
        const AudioFormat format{AudioFormat::Encoding::Mp3, rate, parts[2].toInt(&bitrateOk)};
        if (bitrateOk && sampleRateIndex(format) >= 0 && bitrateIndex(format) > 0)
            return format;
    } else if (parts.size() == 2 && parts[0] == u"pcm") {
        if (indexOf(kPcmSampleRates, rate) >= 0)
            return AudioFormat{AudioFormat::Encoding::Pcm, rate, 0};
    } else if (parts.size() == 2 && parts[0] == u"ulaw" && rate == 8000) {
        return AudioFormat{AudioFormat::Encoding::Ulaw, rate, 0};
    }
    return std::nullopt;
}

int SimulatedAudio::mp3SamplesPerFrame(const AudioFormat& format)
{
    if (format.encoding != AudioFormat::Encoding::Mp3)
        return 0;
    return isMpeg1(format) ? 1152 : 576;
}

int SimulatedAudio::mp3FrameBytes(const AudioFormat& format)
{
    if (format.encoding != AudioFormat::Encoding::Mp3)
        return 0;
    // Samples per frame / 8 bits per byte: 144 for MPEG-1, 72 for MPEG-2.
    const int coefficient = mp3SamplesPerFrame(format) / 8;
    return coefficient * format.bitrateKbps * 1000 / format.sampleRate;
}

QByteArray SimulatedAudio::forText(const AudioFormat& format, qsizetype textLength)
{
    const QByteArray& all = longest(format);
    const qint64 wanted =
        qint64(std::max<qsizetype>(textLength, 1)) * bytesPerSecond(format) / kCharactersPerSecond;

    // Whole frames (mp3) or whole samples (pcm), at least one, never more than the buffer.
    const qint64 unit = format.encoding == AudioFormat::Encoding::Mp3   ? mp3FrameBytes(format)
                        : format.encoding == AudioFormat::Encoding::Pcm ? 2
                                                                        : 1;
    const qint64 units = std::clamp<qint64>((wanted + unit - 1) / unit, 1, all.size() / unit);
    return all.first(units * unit);
}

const QByteArray& SimulatedAudio::longest(const AudioFormat& format)
{
    auto found = m_longest.find(format);
    if (found != m_longest.end())
        return found->second;

    QByteArray bytes;
    switch (format.encoding) {
    case AudioFormat::Encoding::Mp3:
        bytes = silentMp3(format);
        break;
    case AudioFormat::Encoding::Pcm:
        bytes = QByteArray(kMaxBytes, '\0');
        break;
    case AudioFormat::Encoding::Ulaw:
        bytes = QByteArray(kMaxBytes, char(0xFF)); // mu-law's code for zero amplitude
        break;
    }
    return m_longest.emplace(format, std::move(bytes)).first->second;
}

} // namespace breakwater
