#include "alertfeedview.h"

#include "alertfeedmodel.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QTableView>
#include <QVBoxLayout>

namespace breakwater {

AlertFeedView::AlertFeedView(QWidget* parent)
    : QWidget(parent)
    , m_model(new AlertFeedModel(this))
    , m_count(new QLabel(this))
    , m_table(new QTableView(this))
{
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    QHeaderView* header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->resizeSection(AlertFeedModel::TimeColumn, 80);
    header->resizeSection(AlertFeedModel::SeverityColumn, 90);
    header->resizeSection(AlertFeedModel::ServiceColumn, 100);
    header->resizeSection(AlertFeedModel::RuleColumn, 110);
    header->resizeSection(AlertFeedModel::SummaryColumn, 320);
    header->resizeSection(AlertFeedModel::StatusColumn, 220);
    header->setStretchLastSection(true);
    // What fired reads first; the service and rule are in the summary's words already.
    header->moveSection(header->visualIndex(AlertFeedModel::SummaryColumn), 2);
    header->moveSection(header->visualIndex(AlertFeedModel::StatusColumn), 3);

    m_details = new QLabel(this);
    m_details->setObjectName(QStringLiteral("alertDetails"));
    m_details->setWordWrap(true);
    m_details->setTextFormat(Qt::PlainText); // alert text comes from servers: never markup
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_details->setMinimumHeight(m_details->fontMetrics().lineSpacing() * 4);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_count);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_details);

    connect(m_model, &AlertFeedModel::countsChanged, this, [this] {
        updateCount();
        updateDetails(); // the selected alert may have resolved or been delivered
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { updateDetails(); });
    updateCount();
    updateDetails();
}

AlertFeedView::~AlertFeedView() = default;

void AlertFeedView::appendEvents(std::span<const Event> events)
{
    m_model->appendEvents(events);
}

QString AlertFeedView::countText() const
{
    return m_count->text();
}

QString AlertFeedView::detailsText() const
{
    return m_details->text();
}

void AlertFeedView::updateDetails()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (!current.isValid() || current.row() >= m_model->rowCount()) {
        m_details->setText(tr("Select an alert to see its details."));
        return;
    }
    m_details->setText(m_model->entryAt(current.row()).detailText());
}

void AlertFeedView::updateCount()
{
    const QLocale locale;
    if (m_model->rowCount() == 0) {
        m_count->setText(QStringLiteral("No alerts"));
        return;
    }
    QString text = locale.toString(m_model->firingCount()) + QStringLiteral(" firing, ") +
                   locale.toString(m_model->resolvedCount()) + QStringLiteral(" resolved");
    if (m_model->evictedCount() > 0)
        text += QStringLiteral(" (") + locale.toString(qulonglong(m_model->evictedCount())) +
                QStringLiteral(" older alerts no longer listed)");
    m_count->setText(text);
}

} // namespace breakwater
