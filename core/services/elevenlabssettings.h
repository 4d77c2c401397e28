#pragma once

#include <QString>
#include <QUrl>

#include <chrono>
#include <cstdint>

namespace breakwater {

// How to reach ElevenLabs (or the simulator, or anything speaking its API). Config keys under
// services.elevenlabs.*.
struct ElevenLabsSettings
{
    QUrl baseUrl;   // empty in config: start the embedded simulator and use its URL
    QString apiKey; // secret: never logged, printed or shown
    QString voiceId = QStringLiteral("21m00Tcm4TlvDq8ikWAM");
    QString modelId = QStringLiteral("eleven_multilingual_v2");
    QString outputFormat = QStringLiteral("mp3_44100_128");
    // The whole of one request, connect to last byte: a server that hangs or drips is cut off.
    std::chrono::milliseconds timeout{10000};
    // The health probe's own limit.
    std::chrono::milliseconds probeTimeout{2000};
    // Audio larger than this is refused (and never read into memory).
    std::int64_t maxResponseBytes = 16 * 1024 * 1024;
};

} // namespace breakwater
