#include "jsonlinesformatter.h"

#include "jsonencoding.h"

#include <array>
#include <cmath>
#include <cstring>

namespace breakwater {
namespace {

constexpr int kLevelCount = int(EventLevel::Critical) + 1;
constexpr int kStateCount = int(BreakerState::Disabled) + 1;
constexpr int kErrorKindCount = int(ErrorKind::Cancelled) + 1;

// The JSON text of every name, rendered once from the names' single source of truth
// (eventTypeName() and friends) so that formatting a line only copies bytes.
struct NameTexts
{
    std::array<std::string, kEventTypeCount> eventFields; // ,"event":"call_started"
    std::array<std::string, kLevelCount> levelFields;     // ,"level":"info"
    std::array<std::string, kStateCount> states;          // "half_open"
    std::array<std::string, kErrorKindCount> errorKinds;  // "transient"
    std::string unknown = "\"unknown\"";
    std::size_t longest = 0;

    NameTexts()
    {
        for (int i = 0; i < kEventTypeCount; ++i)
            eventFields[i] = field(",\"event\":", eventTypeName(EventType(i)));
        for (int i = 0; i < kLevelCount; ++i)
            levelFields[i] = field(",\"level\":", eventLevelName(EventLevel(i)));
        for (int i = 0; i < kStateCount; ++i)
            states[i] = field("", breakerStateName(BreakerState(i)));
        for (int i = 0; i < kErrorKindCount; ++i)
            errorKinds[i] = field("", errorKindName(ErrorKind(i)));
    }

    std::string field(const char* key, const QString& name)
    {
        std::string text(std::strlen(key) + json::maxStringBytes(name.size()), '\0');
        char* end = json::writeString(text.data() + std::strlen(key), name);
        std::memcpy(text.data(), key, std::strlen(key));
        text.resize(std::size_t(end - text.data()));
        longest = std::max(longest, text.size());
        return text;
    }

    // An enum value from a newer or corrupted source still yields a valid line.
    template <std::size_t N>
    const std::string& pick(const std::array<std::string, N>& texts, std::size_t index) const
    {
        return index < N ? texts[index] : unknown;
    }
};

const NameTexts& nameTexts()
{
    static const NameTexts texts;
    return texts;
}

template <std::size_t N> char* put(char* out, const char (&literal)[N]) noexcept
{
    std::memcpy(out, literal, N - 1);
    return out + N - 1;
}

char* put(char* out, const std::string& text) noexcept
{
    std::memcpy(out, text.data(), text.size());
    return out + text.size();
}

// Keys, punctuation and numbers of a line with every field present, generously rounded up; six
// name texts (level, event, three states, error kind) and the strings come on top.
constexpr std::size_t kFixedPartBound = 768;

} // namespace

qsizetype JsonLinesFormatter::maxLineSize(const Event& event) noexcept
{
    return qsizetype(
        kFixedPartBound + 6 * nameTexts().longest + json::maxStringBytes(event.service.size()) +
        json::maxStringBytes(event.reason.size()) + json::maxStringBytes(event.errorCode.size()) +
        json::maxStringBytes(event.message.size()));
}

void JsonLinesFormatter::append(const Event& event, QByteArray& out)
{
    const qsizetype start = out.size();
    out.resize(start + maxLineSize(event)); // QByteArray leaves the new bytes uninitialised
    char* const end = write(out.data() + start, event);
    out.resize(end - out.constData());
}

void JsonLinesFormatter::append(const Event& event, std::string& out)
{
    const std::size_t start = out.size();
    out.resize(start + std::size_t(maxLineSize(event)));
    char* const end = write(out.data() + start, event);
    out.resize(std::size_t(end - out.data()));
}

QByteArray JsonLinesFormatter::format(const Event& event)
{
    QByteArray line;
    append(event, line);
    return line;
}

char* JsonLinesFormatter::write(char* out, const Event& event) noexcept
{
    const NameTexts& names = nameTexts();
    out = put(out, "{\"ts\":\"");
    out = m_timestamp.write(out, event.time);
    *out++ = '"';
    out = put(out, names.pick(names.levelFields, std::size_t(event.level)));
    out = put(out, names.pick(names.eventFields, std::size_t(event.type)));
    if (!event.service.isEmpty()) {
        out = put(out, ",\"service\":");
        out = json::writeString(out, event.service);
    }
    if (event.callId != 0) {
        out = put(out, ",\"call_id\":\"call-");
        out = json::writeUnsigned(out, event.callId);
        *out++ = '"';
    }
    if (event.attempt != 0) {
        out = put(out, ",\"attempt\":");
        out = json::writeSigned(out, event.attempt);
    }
    if (event.state) {
        out = put(out, ",\"state\":");
        out = put(out, names.pick(names.states, std::size_t(*event.state)));
    }
    if (event.fromState) {
        out = put(out, ",\"from_state\":");
        out = put(out, names.pick(names.states, std::size_t(*event.fromState)));
    }
    if (event.toState) {
        out = put(out, ",\"to_state\":");
        out = put(out, names.pick(names.states, std::size_t(*event.toState)));
    }
    if (!event.reason.isEmpty()) {
        out = put(out, ",\"reason\":");
        out = json::writeString(out, event.reason);
    }
    // JSON has no NaN or infinity: a latency that is not a number is left out, like a missing one.
    if (event.latencyMs && std::isfinite(*event.latencyMs)) {
        out = put(out, ",\"latency_ms\":");
        out = json::writeMilliseconds(out, *event.latencyMs);
    }
    if (event.delayMs) {
        out = put(out, ",\"delay_ms\":");
        out = json::writeSigned(out, *event.delayMs);
    }
    if (event.errorKind) {
        out = put(out, ",\"error_kind\":");
        out = put(out, names.pick(names.errorKinds, std::size_t(*event.errorKind)));
    }
    if (event.httpStatus != 0) {
        out = put(out, ",\"http_status\":");
        out = json::writeSigned(out, event.httpStatus);
    }
    if (!event.errorCode.isEmpty()) {
        out = put(out, ",\"error_code\":");
        out = json::writeString(out, event.errorCode);
    }
    if (!event.message.isEmpty()) {
        out = put(out, ",\"message\":");
        out = json::writeString(out, event.message);
    }
    out = put(out, ",\"seq\":");
    out = json::writeUnsigned(out, event.sequence);
    out = put(out, "}\n");
    return out;
}

} // namespace breakwater
