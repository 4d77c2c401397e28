#include "terminalprinter.h"

#include "events/eventtext.h"

#include <QDateTime>

#include <unistd.h>

namespace breakwater {

namespace {

// ANSI colours by level: grey debug, plain info, yellow warning, red error, bold red critical.
const char* levelColour(EventLevel level)
{
    switch (level) {
    case EventLevel::Debug:
        return "\033[2m";
    case EventLevel::Info:
        return "";
    case EventLevel::Warning:
        return "\033[33m";
    case EventLevel::Error:
        return "\033[31m";
    case EventLevel::Critical:
        return "\033[1;31m";
    }
    return "";
}

} // namespace

TerminalPrinter::TerminalPrinter(EventLevel minimum, std::FILE* out)
    : m_minimum(minimum)
    , m_out(out)
    , m_coloured(::isatty(::fileno(out)) == 1 && qEnvironmentVariableIsEmpty("NO_COLOR"))
{}

void TerminalPrinter::consume(std::span<const Event> events)
{
    for (const Event& e : events) {
        if (e.level < m_minimum)
            continue;
        const auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(e.time.time_since_epoch())
                .count();
        const QString time =
            QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("HH:mm:ss.zzz"));
        const QString level = eventLevelName(e.level).toUpper().leftJustified(9);
        const char* colour = m_coloured ? levelColour(e.level) : "";
        const QByteArray line = (time + QLatin1Char(' ')).toUtf8() + colour + level.toUtf8() +
                                (*colour ? "\033[0m" : "") + describeEvent(e).toUtf8() + '\n';
        std::fputs(line.constData(), m_out);
    }
}

void TerminalPrinter::flush()
{
    std::fflush(m_out);
}

} // namespace breakwater
