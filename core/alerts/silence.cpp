#include "silence.h"

#include <QDateTime>
#include <QRegularExpression>

#include <algorithm>

namespace breakwater {

namespace {

std::optional<std::chrono::milliseconds> parseDuration(QStringView text)
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d{1,9})(ms|s|min|m|h|d)$"));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const qint64 amount = match.capturedView(1).toLongLong();
    const QStringView unit = match.capturedView(2);
    using namespace std::chrono;
    if (unit == u"ms")
        return milliseconds(amount);
    if (unit == u"s")
        return duration_cast<milliseconds>(seconds(amount));
    if (unit == u"min" || unit == u"m")
        return duration_cast<milliseconds>(minutes(amount));
    if (unit == u"h")
        return duration_cast<milliseconds>(hours(amount));
    return duration_cast<milliseconds>(hours(24 * amount));
}

bool isName(QStringView name)
{
    static const QRegularExpression pattern(QStringLiteral("^(\\*|[A-Za-z0-9_.\\-]{1,128})$"));
    return pattern.match(name).hasMatch();
}

WallTime fromMSecs(qint64 msecs)
{
    return WallTime(std::chrono::milliseconds(msecs));
}

// WallTime counts nanoseconds, which run out in the years 1677 and 2262: a time beyond would
// wrap around into a silence that has long ended.
using WallMSecs = std::chrono::milliseconds;
constexpr WallMSecs kEarliest = std::chrono::ceil<WallMSecs>(WallTime::min().time_since_epoch());
constexpr WallMSecs kLatest = std::chrono::floor<WallMSecs>(WallTime::max().time_since_epoch());

bool fitsWallTime(qint64 msecs)
{
    return msecs >= kEarliest.count() && msecs <= kLatest.count();
}

} // namespace

bool Silence::matches(const Alert& alert, WallTime now) const
{
    if (hasEnded(now))
        return false;
    return (rule == u"*" || rule == alert.rule) && (service == u"*" || service == alert.service);
}

std::optional<Silence> parseSilence(QStringView text, WallTime now, QString* error)
{
    const auto fail = [error](const QString& why) -> std::optional<Silence> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    const QList<QStringView> words = text.trimmed().split(u' ', Qt::SkipEmptyParts);
    if (words.isEmpty())
        return fail(QStringLiteral("is empty; write <rule>[/<service>] [for 2h | until <time>]"));

    Silence silence;
    const qsizetype slash = words[0].indexOf(u'/');
    silence.rule = (slash < 0 ? words[0] : words[0].left(slash)).toString();
    if (slash >= 0)
        silence.service = words[0].mid(slash + 1).toString();
    if (!isName(silence.rule) || !isName(silence.service))
        return fail(QStringLiteral("\"%1\" is not <rule>[/<service>] (names of letters, digits, "
                                   "_ . -, or *)")
                        .arg(words[0]));
    if (words.size() == 1)
        return silence;
    if (words.size() != 3)
        return fail(QStringLiteral("after the rule comes \"for <duration>\" or \"until <time>\""));

    if (words[1] == u"for") {
        const std::optional<std::chrono::milliseconds> duration = parseDuration(words[2]);
        if (!duration || duration->count() <= 0)
            return fail(
                QStringLiteral("\"%1\" is not a duration such as 30min, 2h or 1d").arg(words[2]));
        if (*duration > kLatest - std::chrono::floor<WallMSecs>(now.time_since_epoch()))
            return fail(QStringLiteral("\"%1\" is longer than a silence can last").arg(words[2]));
        silence.until = now + *duration;
        return silence;
    }
    if (words[1] == u"until") {
        const QDateTime at = QDateTime::fromString(words[2].toString(), Qt::ISODateWithMs);
        if (!at.isValid() || at.timeSpec() == Qt::LocalTime)
            return fail(QStringLiteral("\"%1\" is not an ISO-8601 time with a zone, such as "
                                       "2026-12-31T08:00:00Z")
                            .arg(words[2]));
        if (!fitsWallTime(at.toMSecsSinceEpoch()))
            return fail(QStringLiteral("\"%1\" is further off than a silence can last until")
                            .arg(words[2]));
        silence.until = fromMSecs(at.toMSecsSinceEpoch());
        return silence;
    }
    return fail(QStringLiteral("after the rule comes \"for <duration>\" or \"until <time>\", "
                               "not \"%1\"")
                    .arg(words[1]));
}

QString describeSilence(const Silence& silence)
{
    QString text = silence.rule;
    if (silence.service != u"*")
        text += QLatin1Char('/') + silence.service;
    if (silence.until) {
        const qint64 msecs =
            std::chrono::duration_cast<std::chrono::milliseconds>(silence.until->time_since_epoch())
                .count();
        text += QStringLiteral(" until ") +
                QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC).toString(Qt::ISODate);
    }
    return text;
}

void SilenceList::add(Silence silence)
{
    std::lock_guard lock(m_mutex);
    m_silences.push_back(std::move(silence));
}

void SilenceList::remove(const QString& rule, const QString& service)
{
    std::lock_guard lock(m_mutex);
    std::erase_if(m_silences,
                  [&](const Silence& s) { return s.rule == rule && s.service == service; });
}

bool SilenceList::silences(const Alert& alert, WallTime now) const
{
    std::lock_guard lock(m_mutex);
    return std::any_of(m_silences.begin(), m_silences.end(),
                       [&](const Silence& s) { return s.matches(alert, now); });
}

std::vector<Silence> SilenceList::active(WallTime now) const
{
    std::lock_guard lock(m_mutex);
    std::vector<Silence> result;
    std::copy_if(m_silences.begin(), m_silences.end(), std::back_inserter(result),
                 [now](const Silence& s) { return !s.hasEnded(now); });
    return result;
}

} // namespace breakwater
