import Mustache

// Templates read a view's fields by name. Without this, swift-mustache looks each one up by
// reflection (a `Mirror` of the whole value per lookup, and of every enclosing value while it
// climbs the context stack), which was most of the cost of a long page: 83% of rendering an
// actor with 1,300 positions, 82% of the timeline. Each switch names the stored properties
// exactly as reflection does, an optional unwrapped (nil when nil, so the template looks
// further up); `TemplateFieldTests` compares the two.

extension PositionView: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "category": category as Any
    case "stance": stance as Any
    case "stanceClass": stanceClass as Any
    case "evidenceText": evidenceText as Any
    case "articleHref": articleHref as Any
    case "articleId": articleId as Any
    default: nil
    }
  }
}

extension EventRowView: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "eventHref": eventHref as Any
    case "dateText": dateText as Any
    case "dateNote": dateNote as Any
    case "cameo": cameo as Any
    case "eventLabel": eventLabel as Any
    case "quadClass": quadClass as Any
    case "quadLabel": quadLabel as Any
    case "hasSource": hasSource as Any
    case "sourceActor": sourceActor as Any
    case "hasTarget": hasTarget as Any
    case "targetActor": targetActor as Any
    case "reportCount": reportCount as Any
    case "singleReport": singleReport as Any
    case "independentCount": independentCount as Any
    case "outletsText": outletsText as Any
    case "hasConflicts": hasConflicts as Any
    default: nil
    }
  }
}

extension ActorLinkView: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "actorName": actorName as Any
    case "actorHref": actorHref as Any
    default: nil
    }
  }
}

extension InteractionView: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "counterpart": counterpart as Any
    case "interactionLabel": interactionLabel as Any
    case "root": root as Any
    case "outgoing": outgoing as Any
    case "selfName": selfName as Any
    case "count": count as Any
    case "quadClass": quadClass as Any
    default: nil
    }
  }
}

extension InteractionGroupView: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "groupTitle": groupTitle as Any
    case "rows": rows as Any
    default: nil
    }
  }
}

extension ActorRowView: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "actorName": actorName as Any
    case "actorHref": actorHref as Any
    case "kind": kind as Any
    case "affiliationText": affiliationText as Any
    case "roleText": roleText as Any
    case "sectorText": sectorText as Any
    case "hasSector": hasSector as Any
    case "known": known as Any
    case "articles": articles as Any
    case "mentions": mentions as Any
    case "events": events as Any
    default: nil
    }
  }
}

extension ArticleRowView: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "articleHref": articleHref as Any
    case "articleTitle": articleTitle as Any
    case "publishedText": publishedText as Any
    case "outletText": outletText as Any
    case "hasOutletText": hasOutletText as Any
    case "actors": actors as Any
    case "events": events as Any
    case "isNearCopy": isNearCopy as Any
    case "similarityText": similarityText as Any
    default: nil
    }
  }
}

extension OptionView: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "value": value as Any
    case "text": text as Any
    case "selected": selected as Any
    default: nil
    }
  }
}

extension TextPart: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "text": text as Any
    case "marked": marked as Any
    default: nil
    }
  }
}

extension ReportView: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "articleHref": articleHref as Any
    case "articleTitle": articleTitle as Any
    case "outletName": outletName as Any
    case "hasOutlet": hasOutlet as Any
    case "outletHref": outletHref as Any
    case "citedName": citedName as Any
    case "hasCited": hasCited as Any
    case "citedHref": citedHref as Any
    case "publishedText": publishedText as Any
    case "reportDate": reportDate as Any
    case "hasReportDate": hasReportDate as Any
    case "sentence": sentence as Any
    case "cameo": cameo as Any
    case "family": family as Any
    case "isCopy": isCopy as Any
    default: nil
    }
  }
}

extension SearchHitView: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "article": article as Any
    case "snippet": snippet as Any
    default: nil
    }
  }
}

extension TimelineDot: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "cx": cx as Any
    case "cy": cy as Any
    case "r": r as Any
    case "cssClass": cssClass as Any
    case "href": href as Any
    case "title": title as Any
    case "x": x as Any
    case "y": y as Any
    default: nil
    }
  }
}

extension AxisTick: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "x": x as Any
    case "label": label as Any
    default: nil
    }
  }
}

extension TimelineItem: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "id": id as Any
    case "date": date
    case "title": title as Any
    case "quadClass": quadClass as Any
    case "href": href as Any
    default: nil
    }
  }
}

extension Bar: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "x": x as Any
    case "y": y as Any
    case "width": width as Any
    case "height": height as Any
    case "label": label as Any
    case "fullLabel": fullLabel as Any
    case "labelX": labelX as Any
    case "textY": textY as Any
    case "valueText": valueText as Any
    case "valueX": valueX as Any
    case "href": href as Any
    case "barWidth": barWidth as Any
    default: nil
    }
  }
}

extension NetworkNode: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "cx": cx as Any
    case "cy": cy as Any
    case "r": r as Any
    case "label": label as Any
    case "labelX": labelX as Any
    case "labelY": labelY as Any
    case "anchor": anchor as Any
    case "href": href as Any
    case "title": title as Any
    case "x": x as Any
    case "y": y as Any
    default: nil
    }
  }
}

extension NetworkEdge: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "x1": x1 as Any
    case "y1": y1 as Any
    case "x2": x2 as Any
    case "y2": y2 as Any
    case "strokeWidth": strokeWidth as Any
    case "cssClass": cssClass as Any
    case "title": title as Any
    case "width": width as Any
    default: nil
    }
  }
}

extension Chrome: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "title": title as Any
    case "navOverview": navOverview as Any
    case "navTimeline": navTimeline as Any
    case "navActors": navActors as Any
    case "navPlans": navPlans as Any
    case "navSearch": navSearch as Any
    case "searchText": searchText as Any
    default: nil
    }
  }
}

extension Pager: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "hasPrevious": hasPrevious as Any
    case "previousHref": previousHref as Any
    case "hasNext": hasNext as Any
    case "nextHref": nextHref as Any
    case "rangeText": rangeText as Any
    case "show": show as Any
    default: nil
    }
  }
}

extension ActorView: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "chrome": chrome as Any
    case "actor": actor as Any
    case "spellings": spellings as Any
    case "hasSpellings": hasSpellings as Any
    case "timelineHref": timelineHref as Any
    case "events": events as Any
    case "hasEvents": hasEvents as Any
    case "moreEvents": moreEvents as Any
    case "network": network as Any
    case "interactionGroups": interactionGroups as Any
    case "hasInteractions": hasInteractions as Any
    case "positions": positions as Any
    case "hasPositions": hasPositions as Any
    case "positionsOmitted": positionsOmitted as Any
    case "positionsNote": positionsNote as Any
    default: nil
    }
  }
}

extension TimelineView: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "chrome": chrome as Any
    case "filter": filter as Any
    case "chart": chart as Any
    case "events": events as Any
    case "undatedList": undatedList as Any
    case "hasUndated": hasUndated as Any
    case "hasEvents": hasEvents as Any
    case "total": total as Any
    case "singleTotal": singleTotal as Any
    case "pager": pager as Any
    default: nil
    }
  }
}

extension OverviewView: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "chrome": chrome as Any
    case "counts": counts as Any
    case "dateRange": dateRange as Any
    case "hasDateRange": hasDateRange as Any
    case "events": events as Any
    case "hasLatest": hasLatest as Any
    case "activeChart": activeChart as Any
    case "plans": plans as Any
    case "hasPlans": hasPlans as Any
    case "morePlans": morePlans as Any
    case "planTotal": planTotal as Any
    case "articles": articles as Any
    case "hasArticles": hasArticles as Any
    default: nil
    }
  }
}

extension CountView: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "label": label as Any
    case "value": value as Any
    case "countHref": countHref as Any
    default: nil
    }
  }
}

extension PlanLine: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "planName": planName as Any
    case "planHref": planHref as Any
    case "versions": versions as Any
    default: nil
    }
  }
}

extension PlanVersionLine: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "versionLabel": versionLabel as Any
    case "pointsText": pointsText as Any
    case "firstReportedText": firstReportedText as Any
    case "mentionsText": mentionsText as Any
    default: nil
    }
  }
}

extension SearchView: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "chrome": chrome as Any
    case "queryText": queryText as Any
    case "hasQuery": hasQuery as Any
    case "hits": hits as Any
    case "hasHits": hasHits as Any
    case "total": total as Any
    case "pager": pager as Any
    default: nil
    }
  }
}

extension PlansView: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "chrome": chrome as Any
    case "plans": plans as Any
    case "hasPlans": hasPlans as Any
    case "total": total as Any
    case "pager": pager as Any
    default: nil
    }
  }
}

extension ActorsView: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "chrome": chrome as Any
    case "actors": actors as Any
    case "hasActors": hasActors as Any
    case "queryText": queryText as Any
    case "kindOptions": kindOptions as Any
    case "total": total as Any
    case "pager": pager as Any
    default: nil
    }
  }
}

extension TimelineFilterView: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "actorValue": actorValue as Any
    case "actorOptions": actorOptions as Any
    case "rootOptions": rootOptions as Any
    case "outletOptions": outletOptions as Any
    case "fromValue": fromValue as Any
    case "toValue": toValue as Any
    case "active": active as Any
    case "summary": summary as Any
    default: nil
    }
  }
}

extension EventListView: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "events": events as Any
    default: nil
    }
  }
}

extension TimelineChartModel: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "width": width as Any
    case "height": height as Any
    case "axisY": axisY as Any
    case "axisX1": axisX1 as Any
    case "axisX2": axisX2 as Any
    case "tickTop": tickTop as Any
    case "labelY": labelY as Any
    case "ticks": ticks as Any
    case "dots": dots as Any
    case "undated": undated as Any
    case "hasDots": hasDots as Any
    default: nil
    }
  }
}

extension BarChartModel: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "ariaLabel": ariaLabel as Any
    case "width": width as Any
    case "height": height as Any
    case "bars": bars as Any
    case "hasBars": hasBars as Any
    default: nil
    }
  }
}

extension NetworkChartModel: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "width": width as Any
    case "height": height as Any
    case "centre": centre as Any
    case "nodes": nodes as Any
    case "edges": edges as Any
    case "hasPeers": hasPeers as Any
    case "omitted": omitted as Any
    case "hasOmitted": hasOmitted as Any
    default: nil
    }
  }
}

extension ProvisionView: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "status": status as Any
    case "statusText": statusText as Any
    case "hasStatus": hasStatus as Any
    case "category": category as Any
    case "provisionText": provisionText as Any
    case "hasDemandedBy": hasDemandedBy as Any
    case "demandedBy": demandedBy as Any
    case "hasAppliesTo": hasAppliesTo as Any
    case "appliesTo": appliesTo as Any
    case "hasArticle": hasArticle as Any
    case "articleHref": articleHref as Any
    case "articleId": articleId as Any
    default: nil
    }
  }
}

extension VersionColumnView: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "rank": rank as Any
    case "versionLabel": versionLabel as Any
    case "pointsText": pointsText as Any
    case "firstReportedText": firstReportedText as Any
    case "mentionsText": mentionsText as Any
    case "stated": stated as Any
    case "articles": articles as Any
    case "articlesText": articlesText as Any
    case "provisions": provisions as Any
    case "hasProvisions": hasProvisions as Any
    case "changeText": changeText as Any
    case "hasChange": hasChange as Any
    default: nil
    }
  }
}

// The plan page: its matrix lists a few sentences in each party's cell per issue, and its
// version columns up to 500 provisions each (reflection was 20% of the page's samples).

extension ArticleRefView: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "refHref": refHref as Any
    case "refText": refText as Any
    default: nil
    }
  }
}

extension EvidenceView: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "evidenceText": evidenceText as Any
    case "stance": stance as Any
    case "articleHref": articleHref as Any
    case "articleId": articleId as Any
    case "stated": stated as Any
    default: nil
    }
  }
}

extension MatrixCellView: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "filled": filled as Any
    case "stance": stance as Any
    case "stanceClass": stanceClass as Any
    case "contested": contested as Any
    case "countsText": countsText as Any
    case "hoverText": hoverText as Any
    case "moreEvidence": moreEvidence as Any
    case "moreEvidenceText": moreEvidenceText as Any
    case "evidence": evidence as Any
    default: nil
    }
  }
}

extension MatrixRowView: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "partyName": partyName as Any
    case "partyCode": partyCode as Any
    case "partyHref": partyHref as Any
    case "cells": cells as Any
    default: nil
    }
  }
}

extension MatrixView: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "categories": categories as Any
    case "rows": rows as Any
    case "hasRows": hasRows as Any
    case "scopeText": scopeText as Any
    default: nil
    }
  }
}

extension PlanView: MustacheParent {
  func child(named name: String) -> Any? {
    switch name {
    case "chrome": chrome as Any
    case "planName": planName as Any
    case "columns": columns as Any
    case "versionsText": versionsText as Any
    case "matrix": matrix as Any
    case "conflictHref": conflictHref as Any
    case "conflictYAMLHref": conflictYAMLHref as Any
    default: nil
    }
  }
}

/// The field `name` of `value` as the templates read it: `.none` when `value` names its fields by
/// reflection, `.some(nil)` when it has no such field (for `TemplateFieldTests`).
func templateField(_ value: Any, named name: String) -> Any?? {
  (value as? MustacheParent).map { $0.child(named: name) }
}
