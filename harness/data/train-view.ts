import type { HistoryEntry, Item, PublishedProfile, RatingsDataset, TrainData, UserView } from './types.js';

/**
 * Builds the only views of a dataset that methods ever receive. Held-out
 * interactions (valid, test) never pass through here.
 */
export function trainDataOf(dataset: RatingsDataset): TrainData {
  return {
    datasetName: dataset.name,
    users: dataset.users,
    items: dataset.items,
    scale: dataset.scale,
    interactions: dataset.split.train,
  };
}

export class UserViews {
  private readonly byUser = new Map<string, HistoryEntry[]>();
  private readonly attrs = new Map<string, Readonly<Record<string, string | number>>>();
  private readonly published = new Map<string, PublishedProfile>();

  constructor(private readonly train: TrainData) {
    const items = new Map<string, Item>(train.items.map((i) => [i.id, i]));
    for (const u of train.users) {
      this.attrs.set(u.id, u.attributes);
      if (u.published) this.published.set(u.id, u.published);
    }
    for (const x of train.interactions) {
      const item = items.get(x.item);
      if (!item) continue;
      let list = this.byUser.get(x.user);
      if (!list) this.byUser.set(x.user, (list = []));
      list.push({ item, rating: x.rating, timestamp: x.timestamp });
    }
    for (const list of this.byUser.values())
      list.sort((a, b) => a.timestamp - b.timestamp || a.item.id.localeCompare(b.item.id));
  }

  view(userId: string): UserView {
    const published = this.published.get(userId);
    return {
      id: userId,
      attributes: this.attrs.get(userId) ?? {},
      history: this.byUser.get(userId) ?? [],
      scale: this.train.scale,
      ...(published ? { published } : {}),
    };
  }
}
